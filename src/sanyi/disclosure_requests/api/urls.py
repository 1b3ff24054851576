"""API endpoints of the disclosure_requests app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
