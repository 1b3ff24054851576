"""Staff pages of appointments (URL namespace workbench:appointments)."""

from django.urls import path

from sanyi.appointments.web import schedules, staff

app_name = "appointments"
urlpatterns = [
    path("", staff.counter, name="counter"),
    path("bookings/<int:pk>/check-in/", staff.check_in, name="check_in"),
    path("figures/", staff.figures, name="figures"),
    path("schedules/", schedules.schedules, name="schedules"),
    path("schedules/<int:pk>/", schedules.schedule, name="schedule"),
    path("schedules/<int:pk>/pattern/", schedules.schedule_update, name="schedule_update"),
    path("schedules/<int:pk>/publish/", schedules.publish, name="schedule_publish"),
    path("schedules/<int:pk>/close/", schedules.close, name="day_close"),
    path("schedules/<int:pk>/reopen/", schedules.reopen, name="day_reopen"),
    path("schedules/<int:pk>/slots/<int:slot_pk>/close/", schedules.close, name="slot_close"),
    path("schedules/<int:pk>/slots/<int:slot_pk>/reopen/", schedules.reopen, name="slot_reopen"),
]
