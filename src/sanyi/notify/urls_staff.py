"""Staff pages of the notify app, under /workbench/ (URL namespace workbench:notify)."""

app_name = "notify"
urlpatterns = []
