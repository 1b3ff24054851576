"""Staff pages of the calendar, under /workbench/calendar/ (namespace workbench:calendar)."""

from django.urls import path

from sanyi.calendar.web import corrections
from sanyi.calendar.web import staff as views

app_name = "calendar"
urlpatterns = [
    path("", views.years, name="years"),
    path("load/", views.load, name="load"),
    path("load/confirm/", views.confirm, name="confirm"),
    path("day/", corrections.day, name="day"),
    path("day/confirm/", corrections.day_confirm, name="day_confirm"),
    path("<int:year>/", corrections.year, name="year"),
    path("<int:year>/edit/", corrections.year_edit, name="year_edit"),
]
