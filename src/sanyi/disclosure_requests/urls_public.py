"""Public pages of the disclosure_requests app."""

app_name = "disclosure_requests"
urlpatterns = []
