"""Staff pages of the annual_reports app (URL namespace workbench:annual_reports)."""

from django.urls import path

from sanyi.annual_reports.web import staff as views

app_name = "annual_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/edit/", views.report_edit, name="edit"),
    path("<int:pk>/issue/", views.report_issue, name="issue"),
    path("<int:pk>/revise/", views.report_revise, name="revise"),
    path("<int:pk>/discard/", views.report_discard, name="discard"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
]
