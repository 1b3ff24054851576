"""Workbench pages of grid work (URL namespace workbench:grid)."""

from django.urls import path

from sanyi.grid.web import assist, events, log, staff

app_name = "grid"
urlpatterns = [
    path("", staff.today, name="today"),
    path("tasks/<int:pk>/", staff.task, name="task"),
    path("tasks/<int:pk>/code/", staff.send_code, name="send_code"),
    path("tasks/<int:pk>/id/", staff.reveal_id, name="reveal_id"),
    path("assist/", assist.assist_start, name="assist_start"),
    path("assist/<int:pk>/consent/", assist.assist_consent, name="assist_consent"),
    path("assist/<int:pk>/code/", assist.assist_send_code, name="assist_send_code"),
    path("assist/<int:pk>/materials/", assist.assist_materials, name="assist_materials"),
    path("assist/<int:pk>/submit/", assist.assist_submit, name="assist_submit"),
    path("households/", log.households, name="households"),
    path("households/<int:pk>/", log.household, name="household"),
    path("supervision/", log.supervision, name="supervision"),
    path("supervision/export/", log.supervision_export, name="supervision_export"),
    path("addresses/", staff.rules, name="rules"),
    path("addresses/confirm/", staff.rules_confirm, name="rules_confirm"),
    path("addresses/export/", staff.rules_export, name="rules_export"),
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_new, name="event_new"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/photos/<int:photo_pk>/", events.event_photo, name="event_photo"),
]
