"""Writing appointments: schedules and slots, bookings, the counter and the daily jobs.

This package is the app's public API; callers import from here, never a module in it.
"""

from sanyi.appointments.services._common import (
    is_center_clerk,
    live_limit,
    no_show_days,
    no_show_limit,
)
from sanyi.appointments.services.bookings import (
    FULL,
    PAST,
    booking_cancel,
    booking_create,
    booking_move,
)
from sanyi.appointments.services.closing import slots_close, slots_reopen
from sanyi.appointments.services.counter import (
    booking_check_in,
    bookings_mark_no_show,
    bookings_remind,
)
from sanyi.appointments.services.phone import (
    clean_mobile,
    phone_booking_change,
    phone_booking_create,
    phone_booking_find,
    phone_booking_lookup,
    phone_change_code_request,
    phone_code_request,
    phone_codes_purge,
)
from sanyi.appointments.services.publishing import (
    MAX_PUBLISH_DAYS,
    WEEKDAY_NAMES,
    clean_weekdays,
    pattern_has,
    schedule_update,
    slots_publish,
    weekdays_label,
)
from sanyi.appointments.services.schedules import (
    WEEKS_AHEAD,
    schedule_create,
    schedule_set_active,
    slots_generate,
)

__all__ = [
    "FULL",
    "MAX_PUBLISH_DAYS",
    "PAST",
    "WEEKDAY_NAMES",
    "WEEKS_AHEAD",
    "booking_cancel",
    "booking_check_in",
    "booking_create",
    "booking_move",
    "bookings_mark_no_show",
    "bookings_remind",
    "clean_mobile",
    "clean_weekdays",
    "is_center_clerk",
    "live_limit",
    "no_show_days",
    "no_show_limit",
    "pattern_has",
    "phone_booking_change",
    "phone_booking_create",
    "phone_booking_find",
    "phone_booking_lookup",
    "phone_change_code_request",
    "phone_code_request",
    "phone_codes_purge",
    "schedule_create",
    "schedule_set_active",
    "schedule_update",
    "slots_close",
    "slots_generate",
    "slots_publish",
    "slots_reopen",
    "weekdays_label",
]
