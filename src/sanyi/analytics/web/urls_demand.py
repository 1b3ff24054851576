"""Workbench pages of demand analysis (URL namespace workbench:demand)."""

from django.urls import path

from sanyi.analytics.web import demand

app_name = "demand"
urlpatterns = [
    path("", demand.demand, name="demand"),
    path("advice/", demand.advice, name="advice"),
]
