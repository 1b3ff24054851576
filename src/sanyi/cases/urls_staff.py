"""Staff pages of the cases app, under /workbench/ (URL namespace workbench:cases)."""

app_name = "cases"
urlpatterns = []
