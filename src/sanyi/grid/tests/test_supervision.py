"""Supervision (督查): per officer the visits and doorstep steps on time or late in a period,
per grid the households due, overdue or never visited; scope, query counts, the page, the
API and the Excel export read back."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.audit.models import AuditEvent
from sanyi.cases.models import CaseTask
from sanyi.grid import services
from sanyi.grid import supervision_selectors as sup
from sanyi.grid.tests.factories import household, open_task, signature_png, visit_case
from sanyi.orgs.models import OrgKind, OrgUnit, Role, User
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def _case_visit(gw, address="示范区文一路45号", *, late=False):
    task = open_task(visit_case(gw, address))
    services.visit_record(
        task=task,
        actor=gw["officer_a"],
        data=services.VisitInput(
            visited_at=timezone.now(),
            outcome="done",
            confirmation="signature",
            signature=signature_png(),
        ),
    )
    if late:
        CaseTask.objects.filter(pk=task.pk).update(
            due_on=timezone.localdate() - dt.timedelta(days=1)
        )
    return task


def _log(person, officer, days_ago=0, next_due_on=None):
    return services.household_visit_record(
        applicant=person,
        actor=officer,
        data=services.HouseholdVisitInput(
            visited_at=timezone.now() - dt.timedelta(days=days_ago), next_due_on=next_due_on
        ),
    )


def _month(viewer):
    start, end = sup.period_default()
    return sup.supervision_figures(viewer=viewer, start=start, end=end)


def _officer_row(figures, user):
    return next(o for o in figures.officers if o.officer == user)


def test_officer_figures_count_visits_and_steps_on_time_and_late(gw):
    _case_visit(gw)
    _case_visit(gw, "示范区文一路47号", late=True)
    _log(household("示范区文一路49号"), gw["officer_a"])
    row = _officer_row(_month(gw["supervisor"]), gw["officer_a"])
    assert (row.case_visits, row.household_visits, row.visits) == (2, 1, 3)
    assert (row.on_time, row.late) == (1, 1)
    assert row.grids == [gw["grid_a"].name]


def test_visits_outside_the_period_not_counted(gw):
    _log(household("示范区文一路49号"), gw["officer_a"], days_ago=40)
    today = timezone.localdate()
    figures = sup.supervision_figures(
        viewer=gw["supervisor"], start=today - dt.timedelta(days=10), end=today
    )
    assert _officer_row(figures, gw["officer_a"]).household_visits == 0


def test_grid_figures_due_overdue_never(gw):
    today = timezone.localdate()
    _log(household("文一路1号"), gw["officer_a"], days_ago=100)  # overdue
    _log(household("文一路3号"), gw["officer_a"], next_due_on=today + dt.timedelta(days=3))
    _log(household("文一路5号"), gw["officer_a"], next_due_on=today + dt.timedelta(days=30))
    household("文一路7号")  # never
    grid = next(g for g in _month(gw["supervisor"]).grids if g.grid == gw["grid_a"])
    assert (grid.households, grid.overdue, grid.due_soon, grid.never) == (4, 1, 1, 1)


def test_grid_figures_count_event_reports_open_and_closed(gw):
    from sanyi.grid.tests.factories import event_report

    event_report(gw)
    closed = event_report(gw, title="垃圾桶破损")
    services.event_close(event=closed, actor=gw["comm_clerk"], result="已更换垃圾桶")
    event_report(gw, actor=gw["officer_b"], grid=gw["grid_b"])
    grids = {g.grid.pk: g for g in _month(gw["supervisor"]).grids}
    a, b = grids[gw["grid_a"].pk], grids[gw["grid_b"].pk]
    assert (a.events_open, a.events_closed) == (1, 1)
    assert (b.events_open, b.events_closed) == (1, 0)


def test_supervisor_sees_only_the_grids_of_their_units(gw):
    other = org_f.unit(gw["comm2"], OrgKind.GRID, name="另一街道网格")
    sub1_supervisor = org_f.staff(gw["sub1"], Role.SUPERVISOR)
    names = {g.grid.name for g in _month(sub1_supervisor).grids}
    assert names == {gw["grid_a"].name, gw["grid_b"].name}
    assert other.name not in names
    assert not _month(org_f.staff(gw["sub2"], Role.SUPERVISOR)).officers


def test_officer_without_supervisor_role_sees_nothing(gw):
    figures = _month(gw["officer_a"])
    assert figures.grids == [] and figures.officers == []


def test_figures_take_the_same_queries_for_more_data(gw):
    _case_visit(gw)
    _log(household("文一路1号"), gw["officer_a"])
    viewer = User.objects.get(pk=gw["supervisor"].pk)  # roles not cached yet, both times
    with CaptureQueriesContext(connection) as few:
        _month(viewer)
    for n in (3, 5, 7):
        _log(household(f"文一路{n}号"), gw["officer_a"])
        _log(household(f"文一路{n + 1}号"), gw["officer_b"])
    _case_visit(gw, "示范区文一路9号")
    org_f.staff(gw["grid_b"], Role.GRID_OFFICER)
    viewer = User.objects.get(pk=gw["supervisor"].pk)
    with CaptureQueriesContext(connection) as more:
        _month(viewer)
    assert len(more) == len(few) <= 8


def test_page_shows_the_figures(client, gw, django_assert_max_num_queries):
    _log(household("文一路1号"), gw["officer_a"], days_ago=100)
    client.force_login(gw["supervisor"])
    with django_assert_max_num_queries(14):
        page = client.get(reverse("workbench:grid:supervision"))
    body = page.content.decode()
    assert page.status_code == 200
    assert gw["grid_a"].name in body and str(gw["officer_a"]) in body
    assert "事件未办结" in body and "事件已办结" in body


def test_page_refuses_a_bad_period(client, gw):
    client.force_login(gw["supervisor"])
    page = client.get(
        reverse("workbench:grid:supervision"), {"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert page.status_code == 400 and "结束日期不能早于开始日期" in page.content.decode()


def test_page_refused_to_officers(client, gw):
    client.force_login(gw["officer_a"])
    assert client.get(reverse("workbench:grid:supervision")).status_code == 403


def test_api_returns_the_figures(gw):
    _log(household("文一路1号"), gw["officer_a"])
    api = APIClient()
    api.force_login(gw["supervisor"])
    body = api.get("/api/v1/grid/supervision/").json()
    officer = next(o for o in body["officers"] if o["officer"] == str(gw["officer_a"]))
    assert officer["household_visits"] == 1 and officer["visits"] == 1
    grid = next(g for g in body["grids"] if g["grid"] == gw["grid_a"].name)
    assert grid["households"] == 1 and grid["due_soon"] == 0


def test_api_refuses_a_bad_period_in_chinese(gw):
    api = APIClient()
    api.force_login(gw["supervisor"])
    answer = api.get("/api/v1/grid/supervision/", {"start": "2026-05-10", "end": "2026-05-01"})
    assert answer.status_code == 400 and "结束日期不能早于开始日期" in answer.content.decode()


def test_excel_export_reads_back_and_neutralises_formulas(client, gw):
    from openpyxl import load_workbook

    OrgUnit.objects.filter(pk=gw["grid_b"].pk).update(name="=1+1网格")
    _log(household("文一路1号"), gw["officer_a"], days_ago=100)  # overdue, before the month
    _log(household("文一路3号"), gw["officer_a"])
    client.force_login(gw["supervisor"])
    response = client.get(reverse("workbench:grid:supervision_export"))
    wb = load_workbook(io.BytesIO(response.content))
    officers = {r[0]: r for r in wb["网格员"].iter_rows(min_row=3, values_only=True)}
    assert officers[str(gw["officer_a"])][4] == 1  # 台账走访
    grids = {r[0].value: r for r in wb["网格"].iter_rows(min_row=2)}
    assert grids[gw["grid_a"].name][3].value == 1  # 已超期
    assert grids["=1+1网格"][0].data_type == "s"
    assert AuditEvent.objects.filter(action="grid.supervision_export").count() == 1
