"""Staff pages of the annual_reports app (URL namespace workbench:annual_reports)."""

app_name = "annual_reports"
urlpatterns = []
