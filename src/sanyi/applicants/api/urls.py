"""API endpoints of the applicants app."""

urlpatterns = []
