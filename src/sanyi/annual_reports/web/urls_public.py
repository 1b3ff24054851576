"""Issued annual reports on the disclosure portal, under /open/annual-reports/ (URL
namespace openness:annual_reports)."""

from django.urls import path

from sanyi.annual_reports.web import public as views

app_name = "annual_reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/report.pdf", views.report_pdf, name="pdf"),
]
