"""Workbench pages of the dashboard (URL namespace workbench:analytics)."""

from django.urls import path

from sanyi.analytics.web import staff

app_name = "analytics"
urlpatterns = [
    path("", staff.dashboard_page, name="dashboard"),
    path("print/", staff.dashboard_print, name="print"),
    path("export/", staff.dashboard_export, name="export"),
    path("cases/", staff.drill_page, name="cases"),
]
