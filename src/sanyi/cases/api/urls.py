"""API endpoints of the cases app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
