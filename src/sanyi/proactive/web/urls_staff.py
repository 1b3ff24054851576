"""Workbench pages of proactive rules, under /workbench/proactive/ (workbench:proactive)."""

from django.urls import path

from sanyi.proactive.web import staff

app_name = "proactive"
urlpatterns = [
    path("", staff.rules, name="rules"),
    path("new/", staff.rule_create, name="rule_create"),
    path("preview/", staff.preview, name="preview"),
    path("<int:pk>/", staff.rule_detail, name="rule"),
    path("<int:pk>/edit/", staff.rule_edit, name="rule_edit"),
    path("<int:pk>/publish/", staff.rule_publish, name="rule_publish"),
    path("<int:pk>/retire/", staff.rule_retire, name="rule_retire"),
]
