"""Staff pages of the openness app, under /workbench/open/ (URL namespace workbench:openness)."""

app_name = "openness"
urlpatterns = []
