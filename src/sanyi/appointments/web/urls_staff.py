"""Staff pages of appointments (URL namespace workbench:appointments)."""

from django.urls import path

from sanyi.appointments.web import staff

app_name = "appointments"
urlpatterns = [
    path("", staff.counter, name="counter"),
    path("bookings/<int:pk>/check-in/", staff.check_in, name="check_in"),
    path("figures/", staff.figures, name="figures"),
]
