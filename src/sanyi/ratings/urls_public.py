"""Public pages of the ratings app."""

app_name = "ratings"
urlpatterns = []
