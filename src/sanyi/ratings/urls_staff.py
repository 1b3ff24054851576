"""Staff pages of the ratings app, under /workbench/ (URL namespace workbench:ratings)."""

app_name = "ratings"
urlpatterns = []
