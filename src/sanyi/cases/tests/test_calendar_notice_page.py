"""Loading next year's holiday notice from the workbench: the preview lists the open cases
whose due dates move (and writes nothing); the confirm loads it and moves them."""

import datetime as dt
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sanyi.audit.models import AuditEvent
from sanyi.calendar.models import CalendarChange, CalendarYear
from sanyi.calendar.tests.factories import notice_2027
from sanyi.cases.choices import EventKind
from sanyi.cases.tests import factories as f
from sanyi.portal.tests.factories import system_admin, verified_login

D = dt.date
LOAD = reverse("workbench:calendar:load")
CONFIRM = reverse("workbench:calendar:confirm")


@pytest.fixture
def admin_client(client, w):
    verified_login(client, system_admin())
    return client


def _long_case(w):
    return f.case_due_early_2027(w)


def test_preview_lists_the_case_whose_due_date_moves_and_writes_nothing(admin_client, w):
    case = _long_case(w)
    changes, audits = CalendarChange.objects.count(), AuditEvent.objects.count()
    upload = SimpleUploadedFile("2027.json", json.dumps(notice_2027()).encode(), "application/json")

    response = admin_client.post(LOAD, {"notice_file": upload})

    html = response.content.decode()
    assert response.status_code == 200
    assert "2027年1月1日（周五）" in html or "2027年1月1日（星期五）" in html
    assert case.number in html
    assert "2027年1月4日" in html and "2027年1月5日" in html
    case.refresh_from_db()
    assert case.promised_due_on == D(2027, 1, 4)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert CalendarChange.objects.count() == changes
    assert AuditEvent.objects.count() == audits


def test_confirm_loads_the_notice_and_moves_the_due_date(
    admin_client, w, django_capture_on_commit_callbacks
):
    case = _long_case(w)

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(CONFIRM, {"text": json.dumps(notice_2027())})

    assert response["Location"] == reverse("workbench:calendar:years")
    assert CalendarYear.objects.filter(year=2027).exists()
    case.refresh_from_db()
    assert case.promised_due_on == D(2027, 1, 5)
    assert case.events.filter(kind=EventKind.DUE_RECOMPUTED).count() == 1
    assert AuditEvent.objects.filter(action="calendar_year.load").exists()


def test_a_broken_notice_names_the_problem(admin_client):
    response = admin_client.post(LOAD, {"notice_text": '{"format": "sanyi-calendar", "year": '})

    assert response.status_code == 200
    assert "不是有效的JSON" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_only_system_admins_load_notices(client, w):
    verified_login(client, w["clerk"])

    assert client.get(LOAD).status_code == 403
    assert client.post(CONFIRM, {"text": json.dumps(notice_2027())}).status_code == 403
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_years_page_warns_about_a_missing_year(admin_client):
    response = admin_client.get(reverse("workbench:calendar:years"))

    assert response.status_code == 200
    assert "尚未载入" in response.content.decode()


NOTICE_2027_PROSE = """国务院办公厅关于2027年部分节假日安排的通知
国办发明电〔2026〕99号
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月5日（农历除夕、周五）至12日（农历正月初七、周五）放假调休，共8天。2月20日（周六）上班。
国务院办公厅
2026年11月10日
"""


def test_the_notice_pasted_as_published_previews_and_confirms_like_a_file(
    admin_client, w, django_capture_on_commit_callbacks
):
    case = _long_case(w)

    preview = admin_client.post(LOAD, {"notice_text": NOTICE_2027_PROSE})

    html = preview.content.decode()
    assert preview.status_code == 200 and case.number in html
    assert "2027年1月4日" in html and "2027年1月5日" in html
    carried = json.loads(preview.context["confirm"].initial["text"])
    assert carried["holidays"] == notice_2027()["holidays"]
    assert carried["makeup_workdays"] == notice_2027()["makeup_workdays"]
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(CONFIRM, {"text": preview.context["confirm"].initial["text"]})
    assert CalendarYear.objects.get(year=2027).notice_number == "国办发明电〔2026〕99号"
    case.refresh_from_db()
    assert case.promised_due_on == D(2027, 1, 5)


def test_a_pasted_sentence_not_understood_is_named_on_the_page(admin_client):
    text = NOTICE_2027_PROSE.replace("2月20日（周六）上班。", "2月20日（周六）照常上班并补课。")

    response = admin_client.post(LOAD, {"notice_text": text})

    assert response.status_code == 200
    assert (
        "第二项（春节）中的“2月20日（周六）照常上班并补课。”未能识别" in response.content.decode()
    )
    assert not CalendarYear.objects.filter(year=2027).exists()
