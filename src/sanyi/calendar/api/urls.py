from django.urls import path

from sanyi.calendar.api import views

urlpatterns = [
    path("calendar/days/", views.CalendarDaysView.as_view(), name="calendar-days"),
    path("calendar/workday/", views.CalendarWorkdayView.as_view(), name="calendar-workday"),
    path("calendar/deadline/", views.CalendarDeadlineView.as_view(), name="calendar-deadline"),
    path("calendar/between/", views.CalendarBetweenView.as_view(), name="calendar-between"),
]
