"""The dashboard's page, drill-down, print view, Excel export and API: scope, figures and
the number of queries."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.analytics.services import rollup_day
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import CaseChannel
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.tests import factories as org_f

DAY = dt.date(2026, 3, 10)
PERIOD = {"start": "2026-03-01", "end": "2026-03-31"}
ACTOR = "系统：测试"


@pytest.fixture
def two(fw):
    """Two cases concluded late in community 1, three on time in community 2."""
    late = {"accepted_on": DAY, "concluded_on": DAY, "promised_due_on": DAY - dt.timedelta(1)}
    fw["c1"] = bulk_cases(fw, [{"unit": fw["comm1"], "received": DAY, **late}] * 2)
    fw["c2"] = bulk_cases(
        fw, [{"unit": fw["comm2"], "received": DAY, "accepted_on": DAY, "concluded_on": DAY}] * 3
    )
    rollup_day(day=DAY, actor=ACTOR)
    fw["sup1"] = org_f.staff(fw["comm1"], Role.SUPERVISOR)
    return fw


def _dashboard(client, **query):
    return client.get(reverse("workbench:analytics:dashboard"), {**PERIOD, **query})


def test_a_community_supervisor_sees_only_that_communitys_figures(client, two):
    client.force_login(two["sup1"])

    page = _dashboard(client)

    board = page.context["board"]
    assert page.status_code == 200
    assert board.figures.received == 2 and board.figures.concluded_late == 2
    assert two["comm2"].name not in page.content.decode()


def test_a_unit_outside_the_scope_is_refused_and_not_shown(client, two):
    client.force_login(two["sup1"])

    page = _dashboard(client, unit=two["comm2"].pk)
    drill = client.get(
        reverse("workbench:analytics:cases"),
        {**PERIOD, "measure": "received", "unit": two["comm2"].pk},
    )

    assert page.status_code == 400 and page.context["board"].figures.received == 2
    assert drill.status_code == 400
    assert not any(c.number in drill.content.decode() for c in two["c2"])


def test_the_drill_down_lists_the_cases_behind_the_figure(client, two):
    client.force_login(two["sup1"])

    page = client.get(reverse("workbench:analytics:cases"), {**PERIOD, "measure": "concluded_late"})

    body = page.content.decode()
    assert page.status_code == 200 and page.context["page"].paginator.count == 2
    assert all(c.number in body for c in two["c1"])
    assert not any(c.number in body for c in two["c2"])


def test_the_district_supervisor_sees_both_communities_row_by_row(client, two):
    client.force_login(two["supervisor"])

    page = _dashboard(client, unit=two["sub"].pk)

    rows = {r.unit.pk: r.figures for r in page.context["board"].units}
    assert rows[two["comm1"].pk].received == 2 and rows[two["comm2"].pk].received == 3
    assert rows[two["comm1"].pk].on_time_promised == 0.0
    assert rows[two["comm2"].pk].on_time_promised == 100.0


def test_the_level_lists_every_unit_of_that_level_in_scope(client, two):
    client.force_login(two["supervisor"])

    page = _dashboard(client, level="community")

    assert [r.unit.pk for r in page.context["board"].units] == [
        two["comm1"].pk,
        two["comm2"].pk,
    ]


def test_the_api_returns_only_the_viewers_scope(two):
    api = APIClient()
    api.force_login(two["sup1"])

    body = api.get("/api/v1/analytics/dashboard/", PERIOD).json()
    refused = api.get("/api/v1/analytics/dashboard/", {**PERIOD, "unit": two["comm2"].pk})

    assert body["figures"]["received"] == 2 and body["figures"]["on_time_promised"] == 0.0
    assert len(body["days"]) == 31 and body["units"] == []
    assert refused.status_code == 400


def test_the_excel_export_has_the_viewers_figures_and_an_audit_row(client, two):
    from openpyxl import load_workbook

    OrgUnit.objects.filter(pk=two["comm1"].pk).update(name="=1+1社区")
    client.force_login(two["sup1"])

    answer = client.get(reverse("workbench:analytics:export"), PERIOD)

    wb = load_workbook(io.BytesIO(answer.content))
    overview = {row[0]: row[1] for row in wb["概况"].iter_rows(min_row=4, values_only=True)}
    assert overview["收件"] == 2 and overview["承诺时限内办结率"] == 0
    assert wb["概况"]["A1"].value == "数据驾驶舱：=1+1社区"
    assert AuditEvent.objects.filter(action="analytics.dashboard_export").count() == 1


def test_the_excel_export_writes_a_formula_like_name_as_text(client, two):
    from openpyxl import load_workbook

    OrgUnit.objects.filter(pk=two["comm1"].pk).update(name="=1+1社区")
    client.force_login(two["supervisor"])

    answer = client.get(reverse("workbench:analytics:export"), {**PERIOD, "unit": two["sub"].pk})

    cell = load_workbook(io.BytesIO(answer.content))["各单位"]["A2"]
    assert cell.value == "=1+1社区" and cell.data_type == "s" and cell.quotePrefix


def test_the_print_view_shows_the_tables_without_charts(client, two):
    client.force_login(two["sup1"])

    page = client.get(reverse("workbench:analytics:print"), PERIOD)

    body = page.content.decode()
    assert page.status_code == 200 and "echarts.min.js" not in body
    assert 'id="table-days"' in body and "dashboard-data" not in body


def test_window_clerks_and_grid_officers_may_not_open_the_dashboard(client, fw):
    for role in (Role.WINDOW_CLERK, Role.GRID_OFFICER):
        client.force_login(org_f.staff(fw["comm1"], role))
        assert _dashboard(client).status_code == 403


def test_the_dashboard_leads_the_supervisors_home(client, two):
    client.force_login(two["sup1"])

    tiles = client.get(reverse("workbench:home")).context["tiles"]

    assert tiles[0].url == reverse("workbench:analytics:dashboard")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert _dashboard(client).status_code == 200
    return len(ctx)


def test_the_page_runs_the_same_few_queries_for_more_data(client, two):
    client.force_login(two["supervisor"])
    few = _queries(client)
    for n in range(1, 4):
        day = DAY + dt.timedelta(days=n)
        units = [two[u] for u in ("comm1", "comm2", "dept")]
        bulk_cases(
            two, [{"unit": u, "received": day, "channel": CaseChannel.ONLINE} for u in units] * 5
        )
        rollup_day(day=day, actor=ACTOR)

    more = _queries(client)

    assert more == few <= 16


def test_the_drill_down_and_api_run_a_bounded_number_of_queries(
    client, two, django_assert_max_num_queries
):
    client.force_login(two["supervisor"])
    api = APIClient()
    api.force_login(two["supervisor"])
    with django_assert_max_num_queries(20):
        client.get(reverse("workbench:analytics:cases"), {**PERIOD, "measure": "received"})
    with django_assert_max_num_queries(20):
        api.get("/api/v1/analytics/dashboard/", PERIOD)


def test_the_theme_keeps_the_items_whose_guide_lists_it(client, two):
    from sanyi.catalog.models import ItemVersion

    ItemVersion.objects.filter(pk=two["version"].pk).update(themes_business=["开办企业"])
    client.force_login(two["supervisor"])

    listed = _dashboard(client, theme="开办企业").context["board"].figures
    other = _dashboard(client, theme="户籍办理")

    assert listed.received == 5
    assert other.status_code == 400  # not a theme of any published guide


@pytest.mark.parametrize(
    ("preset", "start", "end"),
    [
        ("this_month", dt.date(2026, 5, 1), dt.date(2026, 5, 20)),
        ("last_month", dt.date(2026, 4, 1), dt.date(2026, 4, 30)),
        ("this_quarter", dt.date(2026, 4, 1), dt.date(2026, 5, 20)),
        ("this_year", dt.date(2026, 1, 1), dt.date(2026, 5, 20)),
        ("last_12_months", dt.date(2025, 6, 1), dt.date(2026, 5, 20)),
    ],
)
def test_presets_name_the_days_up_to_today(preset, start, end):
    from sanyi.analytics.dashboard import preset_period

    assert preset_period(preset, dt.date(2026, 5, 20)) == (start, end)
