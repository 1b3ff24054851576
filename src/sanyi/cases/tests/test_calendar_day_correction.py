"""Correcting one day of the calendar from the workbench and the API: the preview lists the
open case whose due date moves (and writes nothing); the confirm writes the day with its
reason, audited, and the case's due date moves."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.audit.models import AuditEvent
from sanyi.calendar.models import CalendarChange, CalendarDay
from sanyi.cases.tests import factories as f
from sanyi.portal.tests.factories import system_admin, verified_login

D = dt.date
DAY = reverse("workbench:calendar:day")
CONFIRM = reverse("workbench:calendar:day_confirm")
# Thursday 2026-12-31 made a holiday: the case due Mon 2027-01-04 becomes due Tue 2027-01-05.
CORRECTION = {
    "date": "2026-12-31",
    "kind": "holiday",
    "name": "元旦",
    "reason": "国务院办公厅补充通知",
}


@pytest.fixture
def admin_client(client, w):
    verified_login(client, system_admin())
    return client


@pytest.fixture
def long_case(w):
    return f.case_due_early_2027(w)


def test_preview_lists_the_case_whose_due_date_moves_and_writes_nothing(admin_client, long_case):
    changes, audits = CalendarChange.objects.count(), AuditEvent.objects.count()

    response = admin_client.post(DAY, CORRECTION)

    html = response.content.decode()
    assert response.status_code == 200
    assert "平日（上班） → 节假日（元旦）" in html
    assert long_case.number in html
    assert "2027年1月4日" in html and "2027年1月5日" in html
    long_case.refresh_from_db()
    assert long_case.promised_due_on == D(2027, 1, 4)
    assert not CalendarDay.objects.filter(date=D(2026, 12, 31)).exists()
    assert (CalendarChange.objects.count(), AuditEvent.objects.count()) == (changes, audits)


def test_confirm_corrects_the_day_with_its_reason_and_moves_the_due_date(
    admin_client, long_case, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CONFIRM, CORRECTION)

    assert response["Location"] == reverse("workbench:calendar:year", args=[2026])
    row = CalendarDay.objects.get(date=D(2026, 12, 31))
    assert (row.kind, row.name) == ("holiday", "元旦")
    change = CalendarChange.objects.order_by("-id").first()
    assert "国务院办公厅补充通知" in change.summary
    event = AuditEvent.objects.filter(action="calendar_day.set").latest("seq")
    assert "原因：国务院办公厅补充通知" in event.note
    long_case.refresh_from_db()
    assert long_case.promised_due_on == D(2027, 1, 5)

    # and back to an ordinary day: the due date moves back
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CONFIRM, {**CORRECTION, "kind": "normal", "name": "", "reason": "误设"})
    assert not CalendarDay.objects.filter(date=D(2026, 12, 31)).exists()
    long_case.refresh_from_db()
    assert long_case.promised_due_on == D(2027, 1, 4)


def test_the_api_previews_then_corrects_a_day(w, long_case, django_capture_on_commit_callbacks):
    api = APIClient()
    api.force_authenticate(system_admin())
    url = reverse("api:calendar-admin-day-preview")

    preview = api.post(url, CORRECTION, format="json")

    assert preview.status_code == 200, preview.content
    moves = preview.json()["moves"]
    assert [(m["old"], m["new"]) for m in moves if long_case.number in m["label"]] == [
        ("2027-01-04", "2027-01-05")
    ]
    assert not CalendarDay.objects.filter(date=D(2026, 12, 31)).exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = api.post(reverse("api:calendar-admin-days"), CORRECTION, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["after"] == "节假日（元旦）"
    long_case.refresh_from_db()
    assert long_case.promised_due_on == D(2027, 1, 5)
