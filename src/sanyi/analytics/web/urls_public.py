"""Public pages of analytics, under /statistics/ (namespace statistics)."""

from django.urls import path

from sanyi.analytics.web import public as views_public

app_name = "statistics"
urlpatterns = [
    path("", views_public.statistics, name="home"),
    path("download.xlsx", views_public.download, name="download"),
]
