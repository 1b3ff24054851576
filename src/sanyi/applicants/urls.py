"""The applicant's own area under /my/: sign-in, profile, inbox, own cases and requests."""

app_name = "applicants"
urlpatterns = []
