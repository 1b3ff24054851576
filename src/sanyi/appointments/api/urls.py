"""API endpoints of appointments (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.appointments.api import schedules, views

urlpatterns = [
    path(
        "appointments/centers/<int:pk>/slots/",
        views.SlotListView.as_view(),
        name="appointment-slots",
    ),
    path("appointments/bookings/", views.BookingListView.as_view(), name="appointment-bookings"),
    path(
        "appointments/bookings/<str:code>/",
        views.BookingDetailView.as_view(),
        name="appointment-booking",
    ),
    path(
        "appointments/bookings/<str:code>/move/",
        views.BookingMoveView.as_view(),
        name="appointment-booking-move",
    ),
    path(
        "appointments/bookings/<str:code>/cancel/",
        views.BookingCancelView.as_view(),
        name="appointment-booking-cancel",
    ),
    path("appointments/counter/", views.CounterListView.as_view(), name="appointment-counter"),
    path(
        "appointments/counter/<int:pk>/check-in/",
        views.CheckInView.as_view(),
        name="appointment-check-in",
    ),
    path(
        "appointments/schedules/",
        schedules.ScheduleListView.as_view(),
        name="appointment-schedules",
    ),
    path(
        "appointments/schedules/<int:pk>/slots/",
        schedules.ScheduleSlotsView.as_view(),
        name="appointment-schedule-slots",
    ),
    path(
        "appointments/schedules/<int:pk>/pattern/",
        schedules.SchedulePatternView.as_view(),
        name="appointment-schedule-pattern",
    ),
    path(
        "appointments/schedules/<int:pk>/publish/",
        schedules.SchedulePublishView.as_view(),
        name="appointment-schedule-publish",
    ),
    path(
        "appointments/schedules/<int:pk>/close/",
        schedules.ScheduleCloseView.as_view(),
        name="appointment-schedule-close",
    ),
    path(
        "appointments/schedules/<int:pk>/reopen/",
        schedules.ScheduleReopenView.as_view(),
        name="appointment-schedule-reopen",
    ),
    path("appointments/phone/code/", views.PhoneCodeView.as_view(), name="appointment-phone-code"),
    path(
        "appointments/phone/bookings/",
        views.PhoneBookingCreateView.as_view(),
        name="appointment-phone-bookings",
    ),
    path(
        "appointments/phone/bookings/lookup/",
        views.PhoneBookingLookupView.as_view(),
        name="appointment-phone-lookup",
    ),
    path(
        "appointments/phone/bookings/move/",
        views.PhoneBookingMoveView.as_view(),
        name="appointment-phone-move",
    ),
    path(
        "appointments/phone/bookings/cancel/",
        views.PhoneBookingCancelView.as_view(),
        name="appointment-phone-cancel",
    ),
]
