"""Workbench pages of grid work (URL namespace workbench:grid)."""

from django.urls import path

from sanyi.grid.web import log, staff

app_name = "grid"
urlpatterns = [
    path("", staff.today, name="today"),
    path("tasks/<int:pk>/", staff.task, name="task"),
    path("tasks/<int:pk>/code/", staff.send_code, name="send_code"),
    path("tasks/<int:pk>/id/", staff.reveal_id, name="reveal_id"),
    path("households/", log.households, name="households"),
    path("households/<int:pk>/", log.household, name="household"),
    path("supervision/", log.supervision, name="supervision"),
    path("supervision/export/", log.supervision_export, name="supervision_export"),
    path("addresses/", staff.rules, name="rules"),
    path("addresses/confirm/", staff.rules_confirm, name="rules_confirm"),
    path("addresses/export/", staff.rules_export, name="rules_export"),
]
