"""Public pages of the licences app."""

app_name = "licences"
urlpatterns = []
