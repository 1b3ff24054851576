"""The public statistics endpoint (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.analytics.api import views_public

urlpatterns = [
    path("statistics/", views_public.PublicStatisticsView.as_view(), name="statistics"),
]
