"""The applicant's bundles, mounted at /my/bundles/ (URL namespace "my_bundles")."""

from django.urls import path

from sanyi.cases.web import bundles

app_name = "my_bundles"
urlpatterns = [
    path("", bundles.my_bundles, name="list"),
]
