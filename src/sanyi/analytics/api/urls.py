"""API endpoints of the dashboard (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.analytics.api import views

urlpatterns = [
    path("analytics/dashboard/", views.DashboardView.as_view(), name="analytics-dashboard"),
]
