"""API endpoints of the applicants app."""

from django.urls import path

from sanyi.applicants.api import views

urlpatterns = [
    path("applicants/lookup/", views.ApplicantLookupView.as_view(), name="applicant-lookup"),
]
