"""Public pages of e-licences, under /licences/ (namespace licences)."""

from django.urls import path

from sanyi.licences.web import public as views_public

app_name = "licences"
urlpatterns = [
    path("verify/", views_public.verify, name="verify"),
    path("v/<str:code>/", views_public.verify_code, name="verify_code"),
]
