"""The installable phone workbench: the manifest, the service worker (its headers, scope and
cache name), the offline page, and the phone home's level cards with their counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


@pytest.fixture
def gw(db, tmp_path, settings):
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.grid.tests.factories import grid_world

    settings.MEDIA_ROOT = str(tmp_path)
    official_calendar()
    calendar_cache_clear()
    yield grid_world()
    calendar_cache_clear()


def test_manifest_is_served_without_signing_in_with_its_content_type(client):
    response = client.get("/workbench/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    body = response.json()
    assert body["start_url"] == reverse("workbench:phone_home")
    assert body["display"] == "standalone" and body["name"].startswith("三一")
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_service_worker_is_javascript_scoped_to_the_workbench_and_never_stale(client):
    response = client.get("/workbench/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/workbench/"
    assert "no-cache" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    body = response.content.decode()
    assert "sanyi-shell-" in body and reverse("pwa:offline") in body


def test_the_cache_name_follows_the_shell_assets(client, monkeypatch):
    from sanyi.workbench.views import pwa

    before = pwa.shell_version()
    pwa.shell_version.cache_clear()
    monkeypatch.setattr(pwa, "SHELL_ASSETS", pwa.SHELL_ASSETS[:-1])
    try:
        assert pwa.shell_version() != before
    finally:
        pwa.shell_version.cache_clear()


def test_offline_page_holds_no_personal_data(client):
    response = client.get("/workbench/offline/")
    assert response.status_code == 200
    assert "没有网络" in response.content.decode()
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_workbench_pages_link_the_manifest_and_the_worker(client, gw):
    client.force_login(gw["officer_a"])
    html = client.get(reverse("workbench:grid:today")).content.decode()
    assert 'rel="manifest" href="/workbench/manifest.webmanifest"' in html
    assert 'name="sanyi-sw" content="/workbench/sw.js"' in html
    assert "<script>" not in html  # CSP: no inline script


def _cases_in_grid_a(gw, n):
    from sanyi.grid.tests.factories import open_task, visit_case

    return [open_task(visit_case(gw, f"文一路{2 * i + 1}号")) for i in range(n)]


def _give(user, *roles):
    from sanyi.orgs.models import RoleAssignment
    from sanyi.orgs.permissions import forget_roles

    for unit, role in roles:
        RoleAssignment.objects.create(user=user, org_unit=unit, role=role)
    forget_roles(user)
    return user


@pytest.fixture
def four_levels(gw):
    """The grid A officer who also works at the subdistrict, a station and the community."""
    gw["station"] = org_f.unit(gw["sub1"], OrgKind.STATION, name="劳动保障服务站")
    _give(
        gw["officer_a"],
        (gw["sub1"], Role.APPROVER),
        (gw["station"], Role.APPROVER),
        (gw["comm1"], Role.DISCLOSURE_OFFICER),
    )
    return gw


def _counts(card):
    return {label: n for label, n, _ in card.counts}


def test_phone_home_shows_one_card_per_level_with_its_own_counts(client, four_levels):
    from sanyi.openness import services as open_services

    gw = four_levels
    tasks = _cases_in_grid_a(gw, 2)
    tasks[0].due_on = timezone.localdate() - dt.timedelta(days=1)
    tasks[0].save(update_fields=["due_on"])
    open_services.board_notice_post(
        actor=gw["officer_a"],
        unit=gw["grid_a"],
        title="本周六义诊",
        text="周六上午在社区广场义诊。",
        expires_on=timezone.localdate() + dt.timedelta(days=7),
    )
    from sanyi.grid.tests.factories import event_report

    event_report(gw)  # reported in grid A, now held by its community
    client.force_login(gw["officer_a"])
    page = client.get(reverse("workbench:phone_home"))
    cards = page.context["cards"]
    assert [c.level for c in cards] == ["街道", "站所", "社区", "网格"]
    sub, station, comm, grid = (_counts(c) for c in cards)
    assert grid == {
        "办理中办件": 2,
        "待办环节": 2,
        "超期环节": 1,
        "上门任务": 2,
        "超期上门任务": 1,
        "公开栏待审查": 1,
        "未办结事件": 1,
        "超期事件": 0,
    }
    assert comm["待办环节"] == 2 and comm["公开栏待审查"] == 1 and "上门任务" not in comm
    assert comm["未办结事件"] == 1 and sub["未办结事件"] == 1
    assert sub["超期环节"] == 1 and sub["公开栏待审查"] == 1
    assert station == {
        "办理中办件": 0,
        "待办环节": 0,
        "超期环节": 0,
        "未办结事件": 0,
        "超期事件": 0,
    }
    assert "data-draft-count" in page.content.decode()


def test_a_grid_card_shows_only_the_viewers_own_grid(client, gw):
    _cases_in_grid_a(gw, 1)
    client.force_login(gw["officer_b"])
    cards = client.get(reverse("workbench:phone_home")).context["cards"]
    assert [c.unit.pk for c in cards] == [gw["grid_b"].pk]
    assert _counts(cards[0])["上门任务"] == 0


def test_counters_refuse_units_outside_the_viewers_scope(gw):
    from sanyi.cases.level_counts import case_level_counts
    from sanyi.grid.selectors import event_level_counts, grid_level_counts
    from sanyi.openness.selectors import board_level_counts

    _cases_in_grid_a(gw, 1)
    for counter in (case_level_counts, grid_level_counts, board_level_counts, event_level_counts):
        assert counter(gw["officer_b"], [gw["grid_a"]]) == {}


def test_level_counts_take_the_same_queries_for_one_unit_or_many(
    four_levels, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from sanyi.workbench.selectors import phone_levels

    gw = four_levels
    _cases_in_grid_a(gw, 3)
    few = _give(org_f.staff(gw["grid_a"], Role.GRID_OFFICER))
    with CaptureQueriesContext(connection) as one_card:
        assert len(phone_levels(viewer=few)) == 1
    with django_assert_num_queries(len(one_card.captured_queries)):
        assert len(phone_levels(viewer=gw["officer_a"])) == 4
