"""API endpoints of the annual_reports app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
