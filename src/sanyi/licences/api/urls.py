"""API endpoints of the licences app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
