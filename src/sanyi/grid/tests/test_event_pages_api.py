"""Event report pages and API: the officer's form and 我的上报, the holder's list and
actions, scope, query counts."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.grid.models import EventReport, EventStatus
from sanyi.grid.tests.factories import event_report, jpeg_with_gps

pytestmark = pytest.mark.django_db


def test_officer_files_a_report_with_a_photo(client, gw):
    client.force_login(gw["officer_a"])
    form = client.get(reverse("workbench:grid:event_new")).content.decode()
    assert 'capture="environment"' in form and "测试第二网格" not in form
    response = client.post(
        reverse("workbench:grid:event_new"),
        {
            "grid": gw["grid_a"].pk,
            "category": "safety",
            "title": "井盖松动",
            "description": "学院路口井盖松动",
            "place": "学院路口",
            "photos": [SimpleUploadedFile("a.jpg", jpeg_with_gps(), content_type="image/jpeg")],
        },
    )
    event = EventReport.objects.get()
    assert response.status_code == 302
    assert event.photos.count() == 1 and event.unit == gw["comm1"]
    photo = client.get(
        reverse("workbench:grid:event_photo", args=[event.pk, event.photos.get().pk])
    )
    assert photo.status_code == 200


def test_report_form_errors_name_the_field(client, gw):
    client.force_login(gw["officer_a"])
    response = client.post(reverse("workbench:grid:event_new"), {"grid": gw["grid_a"].pk})
    assert response.status_code == 400
    assert "标题：" in response.content.decode()
    assert not EventReport.objects.exists()


def test_my_reports_list_query_count(client, gw, django_assert_max_num_queries):
    for n in range(5):
        event_report(gw, title=f"事件{n}")
    client.force_login(gw["officer_a"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:grid:events"))
    body = page.content.decode()
    assert "我的上报" in body and "事件4" in body and "待受理" in body


def test_handler_list_query_count_and_scope(client, gw, django_assert_max_num_queries):
    for n in range(5):
        event_report(gw, title=f"事件{n}")
    client.force_login(gw["comm_clerk"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:grid:events"))
    assert "事件4" in page.content.decode()
    client.force_login(gw["sub_clerk"])  # a role on the subdistrict covers its communities
    assert "事件4" in client.get(reverse("workbench:grid:events")).content.decode()


def test_other_grid_officer_gets_404(client, gw):
    event = event_report(gw)
    client.force_login(gw["officer_b"])
    assert client.get(reverse("workbench:grid:event", args=[event.pk])).status_code == 404


def test_holder_routes_then_subdistrict_closes_through_the_page(client, gw):
    event = event_report(gw)
    url = reverse("workbench:grid:event", args=[event.pk])
    client.force_login(gw["comm_clerk"])
    page = client.get(url).content.decode()
    assert "转派" in page and gw["sub1"].name in page
    client.post(url, {"action": "route", "to_unit": gw["sub1"].pk, "note": "需街道协调"})
    event.refresh_from_db()
    assert event.unit == gw["sub1"] and event.status == EventStatus.ROUTED
    assert client.post(url, {"action": "accept"}).status_code == 403
    client.force_login(gw["sub_approver"])
    client.post(url, {"action": "close", "result": "已协调修复"})
    event.refresh_from_db()
    assert event.status == EventStatus.CLOSED


def test_action_error_shown_in_chinese(client, gw):
    event = event_report(gw)
    client.force_login(gw["comm_clerk"])
    response = client.post(
        reverse("workbench:grid:event", args=[event.pk]), {"action": "close", "result": ""}
    )
    assert response.status_code == 400 and "请填写办理结果" in response.content.decode()


def test_detail_query_count(client, gw, django_assert_max_num_queries):
    event = event_report(gw)
    client.force_login(gw["comm_clerk"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("workbench:grid:event", args=[event.pk])).status_code == 200


def test_list_refused_to_staff_without_a_role_here(client, gw):
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    client.force_login(org_f.staff(gw["district"], Role.CATALOG_ADMIN))
    assert client.get(reverse("workbench:grid:events")).status_code == 403


def test_api_create_list_detail_and_act(gw, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(gw["officer_a"])
    photo = io.BytesIO(jpeg_with_gps())
    photo.name = "p.jpg"
    created = api.post(
        "/api/v1/grid/events/",
        {
            "grid": gw["grid_a"].pk,
            "category": "needs_help",
            "title": "独居老人需帮扶",
            "description": "80岁独居，行动不便",
            "place": "文一路45号",
            "photos": [photo],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert created.json()["photos"] == 1
    with django_assert_max_num_queries(6):
        rows = api.get("/api/v1/grid/events/").json()
    assert [r["id"] for r in rows] == [pk]
    clerk = APIClient()
    clerk.force_authenticate(gw["comm_clerk"])
    done = clerk.post(
        f"/api/v1/grid/events/{pk}/actions/", {"action": "offer", "item": "高龄津贴申领"}
    )
    assert done.status_code == 200 and done.json()["status"] == "to_offer"
    detail = api.get(f"/api/v1/grid/events/{pk}/").json()
    assert [s["action"] for s in detail["steps"]] == ["report", "offer"]


def test_api_bad_input_is_problem_json(gw):
    api = APIClient()
    api.force_authenticate(gw["officer_a"])
    response = api.post(
        "/api/v1/grid/events/",
        {
            "grid": gw["grid_b"].pk,
            "category": "other",
            "title": "x",
            "description": "y",
            "place": "z",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "grid" in str(response.json())


def test_api_officer_may_not_act(gw):
    event = event_report(gw)
    api = APIClient()
    api.force_authenticate(gw["officer_a"])
    response = api.post(f"/api/v1/grid/events/{event.pk}/actions/", {"action": "accept"})
    assert response.status_code == 403
