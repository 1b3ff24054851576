"""API endpoints of the notify app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
