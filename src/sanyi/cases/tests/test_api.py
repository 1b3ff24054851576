"""The staff case API: scoped, problem+json, and the whole life of a case."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.cases.models import Case
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def _client(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_full_life_through_the_api(w):
    clerk, approver = _client(w["clerk"]), _client(w["approver"])
    person = f.applicant()
    r = clerk.post(
        reverse("api:case-list"),
        {"applicant": person.pk, "item": w["item"].implementation_code, "channel": "online"},
        format="json",
    )
    assert r.status_code == 201, r.content
    case_id = r.json()["id"]
    for m in r.json()["materials"]:
        if m["status"] == "shared":
            continue
        up = clerk.post(
            reverse("api:case-material-upload", args=[case_id, m["id"]]),
            {"file": f.upload()},
            format="multipart",
        )
        assert up.status_code == 200, up.content
    url = reverse("api:case-submit", args=[case_id])
    assert clerk.post(url).status_code == 400  # no Idempotency-Key
    first = clerk.post(url, HTTP_IDEMPOTENCY_KEY="abc")
    again = clerk.post(url, HTTP_IDEMPOTENCY_KEY="abc")
    assert first.status_code == again.status_code == 200
    assert first.json()["id"] == again.json()["id"] and again.json()["status"] == "precheck"
    assert Case.objects.filter(applicant=person).count() == 1
    materials = [m for m in first.json()["materials"] if m["status"] != "shared"]
    r = clerk.post(
        reverse("api:case-precheck", args=[case_id]),
        {"results": [{"material": m["id"], "status": "ok"} for m in materials]},
        format="json",
    )
    assert r.json()["status"] == "awaiting_acceptance", r.content
    r = clerk.post(
        reverse("api:case-acceptance", args=[case_id]),
        {"window": w["window"].pk, "decision": "accept"},
        format="json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["clock"]["promised_due_on"] == r.json()["promised_due_on"]
    receipt = clerk.get(reverse("api:case-receipt", args=[case_id]))
    assert receipt["Content-Type"] == "application/pdf" and receipt.content.startswith(b"%PDF")
    asked = clerk.get(reverse("api:case-receipt", args=[case_id]), HTTP_ACCEPT="application/pdf")
    assert asked.status_code == 200 and asked.content.startswith(b"%PDF")
    tasks = approver.get(reverse("api:case-task-list"), {"scope": "unit"}).json()["results"]
    assert [t["case"] for t in tasks] == [case_id]
    task_id = tasks[0]["id"]
    assert approver.post(reverse("api:case-task-claim", args=[task_id])).status_code == 200
    r = approver.post(
        reverse("api:case-task-act", args=[task_id]), {"action": "approve"}, format="json"
    )
    assert r.json()["name"] == "审批"
    r = approver.post(
        reverse("api:case-clock-stops", args=[case_id]), {"reason": "expert_review"}, format="json"
    )
    assert r.json()["status"] == "suspended"
    r = approver.post(reverse("api:case-clock-restart", args=[case_id]))
    assert r.json()["status"] == "in_progress"
    r = _client(w["approver2"]).post(
        reverse("api:case-extensions", args=[case_id]),
        {"days": 3, "reason": "需现场核查", "requested_by": w["approver"].pk},
        format="json",
    )
    assert r.status_code == 200 and r.json()["extension_days"] == 3
    r = approver.post(
        reverse("api:case-conclusion", args=[case_id]),
        {"decision": "approve", "basis": "《条例》第五条"},
        format="json",
    )
    assert r.json()["status"] == "concluded", r.content
    r = clerk.post(
        reverse("api:case-delivery", args=[case_id]), {"method": "electronic"}, format="json"
    )
    assert r.json()["status"] == "delivered"
    timeline = clerk.get(reverse("api:case-timeline", args=[case_id])).json()
    assert timeline[0]["kind"] == "created" and timeline[-1]["kind"] == "delivered"


def test_errors_are_chinese_problems(w):
    case = f.case(w, state="awaiting")
    r = _client(w["clerk"]).post(
        reverse("api:case-acceptance", args=[case.pk]),
        {"window": w["window"].pk, "decision": "reject"},
        format="json",
    )
    assert r.status_code == 400
    assert r["Content-Type"].startswith("application/problem+json")
    body = r.json()
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {"reason": "不予受理须写明理由", "basis": "不予受理须写明法律依据"}


def test_scope_is_enforced(w):
    case = f.case(w, state="in_progress")
    outsider = _client(w["comm_clerk"])
    assert outsider.get(reverse("api:case-detail", args=[case.pk])).status_code == 403
    rows = outsider.get(reverse("api:case-list")).json()["results"]
    assert rows == []
    task = case.tasks.get()
    assert outsider.post(reverse("api:case-task-claim", args=[task.pk])).status_code == 403
    # the supervisor reads, but cannot act
    sup = _client(w["supervisor"])
    assert sup.get(reverse("api:case-detail", args=[case.pk])).status_code == 200
    r = sup.post(reverse("api:case-task-act", args=[task.pk]), {"action": "approve"}, format="json")
    assert r.status_code == 403


def test_non_case_staff_and_anonymous_are_refused(w):
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    admin = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    assert _client(admin).get(reverse("api:case-list")).status_code == 403
    assert APIClient().get(reverse("api:case-list")).status_code in (401, 403)


def test_task_list_query_count(w, django_assert_max_num_queries):
    for _ in range(3):
        f.case(w, state="in_progress")
    client = _client(w["supervisor"])
    client.get(reverse("api:case-task-list"), {"scope": "subtree"})  # warm up
    with django_assert_max_num_queries(8):
        r = client.get(reverse("api:case-task-list"), {"scope": "subtree"})
    assert r.json()["count"] == 3


def test_disagree_through_the_api_concludes_as_not_approved(w):
    case = f.case(w)
    task = case.tasks.get(status="open")
    approver = _client(w["approver"])
    approver.post(reverse("api:case-task-claim", args=[task.pk]))
    act = reverse("api:case-task-act", args=[task.pk])

    back = approver.post(act, {"action": "return", "opinion": "重审"}, format="json")
    no = approver.post(
        act,
        {"action": "disagree", "opinion": "不符合条件", "basis": "《条例》第九条"},
        format="json",
    )

    assert back.status_code == 400 and "已是第一个办理环节" in back.content.decode()
    assert no.status_code == 200, no.content
    assert no.json()["action"] == "disagree"
    case.refresh_from_db()
    assert (case.status, case.decision, case.decision_basis) == (
        "concluded",
        "deny",
        "《条例》第九条",
    )


def test_task_list_pages_by_cursor_keeping_the_scope(w):
    for _ in range(3):
        f.case(w, state="in_progress")
    client = _client(w["supervisor"])
    first = client.get(reverse("api:case-task-list"), {"scope": "subtree", "limit": 2}).json()
    assert first["count"] == 3 and first["count_capped"] is False
    assert first["previous"] is None and "scope=subtree" in first["next"]

    second = client.get(first["next"]).json()
    back = client.get(second["previous"]).json()

    assert len(second["results"]) == 1 and second["next"] is None
    assert [t["id"] for t in back["results"]] == [t["id"] for t in first["results"]]
    ids = [t["id"] for t in first["results"] + second["results"]]
    assert len(set(ids)) == 3


def test_a_tampered_cursor_is_a_400_naming_it(w):
    from sanyi.api.tests.problems import fields_of, problem_of

    f.case(w, state="in_progress")
    client = _client(w["supervisor"])
    for name in ("case-list", "case-task-list", "case-overdue"):
        response = client.get(reverse(f"api:{name}"), {"after": "WzFd:not-signed"})
        problem = problem_of(response, 400)
        assert "翻页位置无效" in fields_of(problem)["after"][0]
