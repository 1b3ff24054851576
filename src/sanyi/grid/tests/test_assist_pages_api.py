"""The help-to-apply phone pages and API: residents of the officer's grids only (masked),
the demo code on a console-SMS site, photos from the camera, and the case pages (workbench
and the resident's own) saying 网格员代办 with the officer's name."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.applicants.auth import SESSION_KEY
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.grid import services
from sanyi.grid.models import Assist, AssistStatus
from sanyi.grid.tests.factories import jpeg_with_gps
from sanyi.grid.tests.test_assist import all_photos, code_of, consented, resident

pytestmark = pytest.mark.django_db


def _photo() -> SimpleUploadedFile:
    return SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")


def test_start_lists_only_own_grid_residents_masked(client, gw, django_assert_max_num_queries):
    mine = [resident(gw) for _ in range(3)]
    other = resident(gw, grid="grid_b")
    client.force_login(gw["officer_a"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("workbench:grid:assist_start"))
    body = page.content.decode()
    assert page.status_code == 200
    for person in mine:
        assert person.masked_id in body and person.id_number not in body
    assert other.masked_id not in body
    assert gw["item"].base_item.name in body


def test_start_refused_to_other_staff(client, gw):
    client.force_login(gw["approver"])
    assert client.get(reverse("workbench:grid:assist_start")).status_code == 403


def test_start_for_another_grids_resident_is_refused(client, gw):
    other = resident(gw, grid="grid_b")
    client.force_login(gw["officer_a"])
    url = reverse("workbench:grid:assist_start")
    response = client.post(url, {"applicant": other.pk, "item": gw["item"].pk})
    assert response.status_code == 403
    assert not Assist.objects.exists()


def test_whole_flow_through_the_pages(client, gw, settings, memory_sms):
    settings.SANYI_SMS_PROVIDER = "console"
    person = resident(gw)
    client.force_login(gw["officer_a"])
    response = client.post(
        reverse("workbench:grid:assist_start"), {"applicant": person.pk, "item": gw["item"].pk}
    )
    assist = Assist.objects.get()
    consent_url = reverse("workbench:grid:assist_consent", args=[assist.pk])
    assert response.url == consent_url
    client.post(reverse("workbench:grid:assist_send_code", args=[assist.pk]))
    page = client.get(consent_url).content.decode()
    code = re.search(r'验证码 <strong class="secret">(\d{6})</strong>', page).group(1)
    client.post(consent_url, {"method": "sms", "code": code})
    materials_url = reverse("workbench:grid:assist_materials", args=[assist.pk])
    page = client.get(materials_url).content.decode()
    assert 'accept="image/*"' in page and 'capture="environment"' in page
    assist.refresh_from_db()
    files = {f"m{pk}": _photo() for pk in all_photos(assist)}
    response = client.post(reverse("workbench:grid:assist_submit", args=[assist.pk]), files)
    assert response.status_code == 302
    page = client.get(materials_url).content.decode()
    assert f"网格员代办（{gw['officer_a']}）" in page
    assert Case.objects.get(pk=assist.case_id).status == CaseStatus.PRECHECK


def test_wrong_code_on_the_page_names_the_field(client, gw, memory_sms):
    assist = services.assist_start(actor=gw["officer_a"], applicant=resident(gw), item=gw["item"])
    client.force_login(gw["officer_a"])
    client.post(reverse("workbench:grid:assist_send_code", args=[assist.pk]))
    url = reverse("workbench:grid:assist_consent", args=[assist.pk])
    response = client.post(url, {"method": "sms", "code": "000000"})
    assert response.status_code == 400
    assert "居民收到的验证码：验证码不正确" in response.content.decode()


def test_a_bad_photo_on_the_page_saves_nothing(client, gw, memory_sms):
    assist = consented(gw, memory_sms)
    client.force_login(gw["officer_a"])
    files = {f"m{pk}": _photo() for pk in all_photos(assist)}
    files[next(iter(files))] = SimpleUploadedFile("x.jpg", b"nope", content_type="image/jpeg")
    response = client.post(reverse("workbench:grid:assist_submit", args=[assist.pk]), files)
    assert response.status_code == 400
    assist.refresh_from_db()
    assert assist.status == AssistStatus.MATERIALS
    assert not assist.case.materials.exclude(file="").exists()


def test_workbench_case_page_shows_assisted(client, gw, memory_sms, django_assert_max_num_queries):
    assist = consented(gw, memory_sms)
    services.assist_submit(assist=assist, actor=gw["officer_a"], photos=all_photos(assist))
    client.force_login(gw["supervisor"])
    with django_assert_max_num_queries(30):
        page = client.get(reverse("workbench:cases:work_case", args=[assist.case_id]))
    assert page.status_code == 200, page.status_code
    assert f"网格员代办（{gw['officer_a']}）" in page.content.decode()


def test_residents_own_case_page_shows_assisted(client, gw, memory_sms):
    assist = consented(gw, memory_sms)
    services.assist_submit(assist=assist, actor=gw["officer_a"], photos=all_photos(assist))
    session = client.session
    session[SESSION_KEY] = assist.applicant_id
    session.save()
    page = client.get(reverse("cases:case", args=[assist.case.number]))
    assert page.status_code == 200
    assert f"网格员代办（{gw['officer_a']}）" in page.content.decode()


def test_api_flow(gw, memory_sms):
    person = resident(gw)
    api = APIClient()
    api.force_login(gw["officer_a"])
    residents = api.get("/api/v1/grid/assist/residents/").json()
    assert [r["id_number"] for r in residents] == [person.masked_id]
    items = api.get("/api/v1/grid/assist/items/").json()
    assert gw["item"].pk in [i["id"] for i in items]
    made = api.post("/api/v1/grid/assist/", {"applicant": person.pk, "item": gw["item"].pk})
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    assert api.post(f"/api/v1/grid/assist/{pk}/code/").status_code == 201
    wrong = api.post(f"/api/v1/grid/assist/{pk}/consent/", {"method": "sms", "code": "000000"})
    assert wrong.status_code == 400
    done = api.post(
        f"/api/v1/grid/assist/{pk}/consent/", {"method": "sms", "code": code_of(memory_sms)}
    )
    assert done.status_code == 200, done.content
    body = done.json()
    ids = [m["id"] for m in body["materials"]]
    sent = api.post(
        f"/api/v1/grid/assist/{pk}/submit/",
        {"materials": ids, "photos": [_photo() for _ in ids]},
        format="multipart",
    )
    assert sent.status_code == 200, sent.content
    assert sent.json()["status"] == "submitted"
    assert sent.json()["channel"] == f"网格员代办（{gw['officer_a']}）"


def test_api_refuses_another_grids_resident(gw):
    other = resident(gw, grid="grid_b")
    api = APIClient()
    api.force_login(gw["officer_a"])
    response = api.post("/api/v1/grid/assist/", {"applicant": other.pk, "item": gw["item"].pk})
    assert response.status_code == 403


def test_public_tracking_page_says_assisted(client, gw, memory_sms):
    assist = consented(gw, memory_sms)
    services.assist_submit(assist=assist, actor=gw["officer_a"], photos=all_photos(assist))
    page = client.post(
        reverse("cases:track"),
        {"number": assist.case.number, "last4": assist.applicant.id_number[-4:]},
    ).content.decode()
    assert "<dt>申请方式</dt><dd>网格员代办</dd>" in page
