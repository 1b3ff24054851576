"""Staff pages of e-licences (URL namespace workbench:licences)."""

from django.urls import path

from sanyi.licences.web import staff as views_staff

app_name = "licences"
urlpatterns = [
    path("", views_staff.licence_list, name="list"),
    path("<int:pk>/", views_staff.licence_detail, name="detail"),
    path("<int:pk>/revoke/", views_staff.licence_revoke_view, name="revoke"),
]
