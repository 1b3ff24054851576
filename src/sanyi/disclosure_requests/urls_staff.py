"""Staff pages of the disclosure_requests app (URL namespace workbench:disclosure_requests)."""

app_name = "disclosure_requests"
urlpatterns = []
