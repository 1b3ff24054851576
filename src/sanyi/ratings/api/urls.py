"""API endpoints of the ratings app (listed in sanyi.api.urls.API_URL_MODULES)."""

urlpatterns = []
