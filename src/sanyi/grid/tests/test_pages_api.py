"""The phone pages and the API: 今日任务 scoped to the officer's grids, the visit form with
the SMS code (shown on a demo site), the audited ID look, the address mapping page."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.cases.choices import TaskStatus
from sanyi.grid.tests.factories import jpeg_with_gps, open_task, visit_case
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def test_today_lists_own_grid_only(client, gw, django_assert_max_num_queries):
    mine = [open_task(visit_case(gw, f"文一路{n}号")) for n in (1, 3)]
    other = open_task(visit_case(gw, "文一路4号"))
    _login(client, gw["officer_a"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workbench:grid:today"))
    body = page.content.decode()
    assert page.status_code == 200
    for t in mine:
        assert reverse("workbench:grid:task", args=[t.pk]) in body
    assert reverse("workbench:grid:task", args=[other.pk]) not in body
    assert client.get(reverse("workbench:grid:task", args=[other.pk])).status_code == 404
    assert other.case.applicant.id_number not in body


def test_today_refused_to_other_staff(client, gw):
    _login(client, gw["approver"])
    assert client.get(reverse("workbench:grid:today")).status_code == 403


def test_visit_through_the_page(client, gw, settings, memory_sms):
    settings.SANYI_SMS_PROVIDER = "console"
    task = open_task(visit_case(gw))
    _login(client, gw["officer_a"])
    url = reverse("workbench:grid:task", args=[task.pk])
    page = client.get(url).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    assert task.case.applicant.masked_id in page and task.case.applicant.id_number not in page
    client.post(reverse("workbench:grid:send_code", args=[task.pk]))
    page = client.get(url).content.decode()
    code = re.search(r'验证码 <strong class="secret">(\d{6})</strong>', page).group(1)
    response = client.post(
        url,
        {
            "visited_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "outcome": "done",
            "notes": "情况属实",
            "confirmation": "sms",
            "code": code,
            "photos": [SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")],
        },
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE


def test_reveal_id_page(client, gw):
    task = open_task(visit_case(gw))
    _login(client, gw["officer_a"])
    page = client.post(reverse("workbench:grid:reveal_id", args=[task.pk]))
    assert task.case.applicant.id_number in page.content.decode()


def test_rules_page_upload_then_confirm(client, gw, settings):
    from sanyi.grid import services
    from sanyi.grid.models import AddressRule

    settings.SANYI_REQUIRE_ADMIN_OTP = False  # the second factor has its own tests
    admin = org_f.staff(gw["district"], Role.SYSTEM_ADMIN)
    _login(client, admin)
    page = client.get(reverse("workbench:grid:rules"))
    assert page.status_code == 200 and "测试第一网格" in page.content.decode()
    data = services.rules_export(actor="系统：测试")
    upload = SimpleUploadedFile("g.xlsx", data)
    preview = client.post(reverse("workbench:grid:rules"), {"file": upload}).content.decode()
    token = re.search(r'name="token" value="([0-9a-f]{32})"', preview).group(1)
    AddressRule.objects.filter(street="学院路").delete()
    client.post(reverse("workbench:grid:rules_confirm"), {"token": token})
    assert AddressRule.objects.count() == 4
    export = client.get(reverse("workbench:grid:rules_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    _login(client, gw["officer_a"])
    assert client.get(reverse("workbench:grid:rules")).status_code == 403


def test_api_tasks_and_visit(gw, memory_sms, django_assert_max_num_queries):
    task = open_task(visit_case(gw))
    open_task(visit_case(gw, "文一路2号"))
    api = APIClient()
    api.force_authenticate(gw["officer_a"])
    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/grid/tasks/").json()
    assert [r["id"] for r in rows] == [task.pk]
    assert rows[0]["applicant_id"] == task.case.applicant.masked_id
    from sanyi.grid import services

    services.visit_code_request(task=task, actor=gw["officer_a"])
    code = re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "p.jpg"
    response = api.post(
        f"/api/v1/grid/tasks/{task.pk}/visit/",
        {
            "visited_at": timezone.now().isoformat(),
            "outcome": "done",
            "confirmation": "sms",
            "code": code,
            "photos": [photo],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["photos"] == 1
    again = api.post(
        f"/api/v1/grid/tasks/{task.pk}/visit/",
        {"visited_at": timezone.now().isoformat(), "outcome": "done", "confirmation": "sms"},
        format="multipart",
    )
    assert again.status_code == 404
    other = APIClient()
    other.force_authenticate(gw["officer_b"])
    assert other.get("/api/v1/grid/tasks/").json() != rows
