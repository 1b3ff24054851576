"""The requests API: scoped list and detail, actions, letter download, tracking."""

import datetime as dt

import pytest
from rest_framework.test import APIClient

from sanyi.calendar.tests.factories import official_calendar
from sanyi.disclosure_requests.choices import Outcome, RequestStatus
from sanyi.disclosure_requests.tests import factories as f

D = dt.date
BASE = "/api/v1/disclosure-requests/"


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_list_is_scoped_and_filtered(org_tree, django_assert_max_num_queries):
    old = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 10, 9))
    f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 20))
    f.online(org_tree["agency"])
    c = client_for(org_tree["officer"])
    with django_assert_max_num_queries(12):
        res = c.get(BASE)
    assert res.status_code == 200
    assert res.json()["count"] == 3
    first = res.json()["results"][0]
    assert first["number"] == old.number
    assert "*" in first["applicant_id_masked"]
    assert c.get(BASE, {"overdue": "true"}).json()["count"] == 1
    assert c.get(BASE, {"status": "awaiting_confirmation"}).json()["count"] == 1
    assert c.get(BASE, {"channel": "online"}).json()["count"] == 1
    assert c.get(BASE, {"due_before": "2026-11-30"}).json()["count"] == 1

    outsider = client_for(org_tree["outsider"])
    assert outsider.get(BASE).json()["count"] == 0
    assert outsider.get(f"{BASE}{old.pk}/").status_code == 404
    assert client_for(org_tree["supervisor"]).get(f"{BASE}{old.pk}/").status_code == 200
    assert APIClient().get(BASE).status_code in (401, 403)


def test_actions_reply_and_letter(org_tree):
    sub = f.online(org_tree["agency"], on=D(2026, 11, 2))
    r = sub.request
    c = client_for(org_tree["officer"])
    res = c.post(f"{BASE}{r.pk}/confirm/", {"on": "2026-11-03"}, format="json")
    assert res.status_code == 200, res.content
    assert res.json()["received_on"] == "2026-11-03"
    assert res.json()["clock"]["due_on"] == "2026-12-01"

    res = c.post(
        f"{BASE}{r.pk}/extend/",
        {
            "days": 5,
            "reason": "需要检索档案",
            "approver": org_tree["officer"].pk,
            "on": "2026-11-04",
        },
        format="json",
    )
    assert res.status_code == 400
    assert res.headers["Content-Type"].startswith("application/problem+json")
    assert "本人" in res.content.decode()

    res = c.post(
        f"{BASE}{r.pk}/extend/",
        {
            "days": 5,
            "reason": "需要检索档案",
            "approver": org_tree["officer2"].pk,
            "on": "2026-11-04",
        },
        format="json",
    )
    assert res.status_code == 200
    notice = res.json()["notices"][0]
    assert notice["kind"] == "extension"
    res = c.get(f"{BASE}{r.pk}/notices/{notice['id']}/")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    anon = APIClient()
    res = anon.post(
        f"{BASE}track/notice/",
        {"number": r.number, "code": sub.query_code, "notice": notice["id"]},
        format="json",
    )
    assert res.status_code == 200
    res = anon.post(
        f"{BASE}track/notice/",
        {"number": r.number, "code": "AAAA2222", "notice": notice["id"]},
        format="json",
    )
    assert res.status_code == 404

    res = c.post(
        f"{BASE}{r.pk}/consultation-start/",
        {
            "party": "某公司",
            "on": "2026-11-05",
            "delivery_method": "by_hand",
            "delivered_on": "2026-11-05",
        },
        format="json",
    )
    assert res.status_code == 200 and res.json()["status"] == RequestStatus.CONSULTING
    res = c.post(f"{BASE}{r.pk}/consultation-end/", {"on": "2026-11-06"}, format="json")
    assert res.json()["status"] == RequestStatus.IN_PROGRESS

    res = c.post(
        f"{BASE}{r.pk}/reply/",
        {
            "outcome": Outcome.PARTIAL,
            "text": "部分公开，涉及个人隐私的部分已删除。",
            "on": "2026-11-10",
            "paper_method": "in_person",
            "paper_on": "2026-11-10",
        },
        format="json",
    )
    assert res.status_code == 200, res.content
    assert res.json()["outcome"] == Outcome.PARTIAL and res.json()["has_letter"]
    res = c.get(f"{BASE}{r.pk}/letter/")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    assert b"".join(res.streaming_content).startswith(b"%PDF")
    # A client that asks for what the schema documents gets it, not a 406.
    res = c.get(f"{BASE}{r.pk}/letter/", HTTP_ACCEPT="application/pdf")
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    missing = c.get(f"{BASE}{r.pk + 1000}/letter/", HTTP_ACCEPT="application/pdf")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"
    assert missing.json()["status"] == 404
    assert client_for(org_tree["outsider"]).get(f"{BASE}{r.pk}/letter/").status_code == 404

    res = c.post(
        f"{BASE}{r.pk}/appeals/",
        {"kind": "review", "filed_on": "2026-11-20", "authority": "示范区人民政府"},
        format="json",
    )
    assert res.status_code == 200
    appeal_id = res.json()["appeals"][0]["id"]
    res = c.post(
        f"{BASE}appeals/{appeal_id}/conclude/",
        {"result": "corrected", "concluded_on": "2026-11-27"},
        format="json",
    )
    assert res.status_code == 200 and res.json()["result"] == "corrected"

    # The applicant tracks it with number + code, and downloads the letter.
    anon = APIClient()
    res = anon.post(f"{BASE}track/", {"number": r.number, "code": sub.query_code}, format="json")
    assert res.status_code == 200
    assert res.json()["outcome"] == Outcome.PARTIAL
    assert "reply_text" in res.json() and "applicant" not in res.json()
    res = anon.post(
        f"{BASE}track/letter/", {"number": r.number, "code": sub.query_code}, format="json"
    )
    assert res.status_code == 200 and res["Content-Type"] == "application/pdf"
    res = anon.post(f"{BASE}track/", {"number": r.number, "code": "AAAA2222"}, format="json")
    assert res.status_code == 404


def test_supervisor_cannot_act(org_tree):
    r = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2))
    res = client_for(org_tree["supervisor"]).post(
        f"{BASE}{r.pk}/reply/", {"outcome": "disclose", "text": "x"}, format="json"
    )
    assert res.status_code == 403


def test_assign_an_officer(org_tree):
    r = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2))
    c = client_for(org_tree["officer"])
    res = c.post(f"{BASE}{r.pk}/assign/", {"officer": org_tree["officer2"].pk}, format="json")
    assert res.status_code == 200 and res.json()["assigned_to"] == org_tree["officer2"].pk
    res = c.post(f"{BASE}{r.pk}/assign/", {"officer": org_tree["outsider"].pk}, format="json")
    assert res.status_code == 400


def test_agency_consultation_and_a_reply_with_a_file_through_the_api(org_tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanyi.core.pdf import render_pdf

    r = f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=D(2026, 11, 2))
    c = APIClient()
    c.force_authenticate(org_tree["officer"])
    res = c.post(
        f"{BASE}{r.pk}/agency-consultation-start/",
        {"agency": "区自然资源局", "question": "可否公开", "on": "2026-11-03"},
        format="json",
    )
    assert res.status_code == 200 and res.json()["stops"][0]["kind"] == "agency"
    res = c.post(
        f"{BASE}{r.pk}/agency-consultation-end/",
        {"answer": "同意公开", "on": "2026-11-05"},
        format="json",
    )
    assert res.json()["status"] == RequestStatus.IN_PROGRESS
    missing = c.post(
        f"{BASE}{r.pk}/reply/", {"outcome": "disclose", "text": "见附件"}, format="json"
    )
    assert missing.status_code == 400 and "files" in missing.content.decode()
    pdf = SimpleUploadedFile("名单.pdf", render_pdf("<p>名单</p>"), "application/pdf")
    res = c.post(
        f"{BASE}{r.pk}/reply/",
        {"outcome": "disclose", "text": "见附件", "on": "2026-11-09", "files": [pdf]},
        format="multipart",
    )
    assert res.status_code == 200, res.content
    file_id = res.json()["reply_files"][0]["id"]
    download = c.get(f"{BASE}{r.pk}/files/{file_id}/")
    assert download.status_code == 200
    outsider = APIClient()
    outsider.force_authenticate(org_tree["outsider"])
    assert outsider.get(f"{BASE}{r.pk}/files/{file_id}/").status_code == 404
