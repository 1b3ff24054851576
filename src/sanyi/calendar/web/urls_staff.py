"""Staff pages of the calendar, under /workbench/calendar/ (namespace workbench:calendar)."""

from django.urls import path

from sanyi.calendar.web import staff as views

app_name = "calendar"
urlpatterns = [
    path("", views.years, name="years"),
    path("load/", views.load, name="load"),
    path("load/confirm/", views.confirm, name="confirm"),
]
