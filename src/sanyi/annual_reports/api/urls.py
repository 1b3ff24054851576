"""API endpoints of the annual_reports app (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.annual_reports.api import views

urlpatterns = [
    path("annual-reports/", views.AnnualReportListView.as_view(), name="annual-report-list"),
    path(
        "annual-reports/compute/",
        views.AnnualReportComputeView.as_view(),
        name="annual-report-compute",
    ),
    path(
        "annual-reports/<int:pk>/",
        views.AnnualReportDetailView.as_view(),
        name="annual-report-detail",
    ),
    path(
        "annual-reports/<int:pk>/issue/",
        views.AnnualReportIssueView.as_view(),
        name="annual-report-issue",
    ),
]
