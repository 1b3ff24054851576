"""Staff pages of the licences app, under /workbench/ (URL namespace workbench:licences)."""

app_name = "licences"
urlpatterns = []
