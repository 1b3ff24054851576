"""Demand figures: the funnel, where online applicants give up, channel shift, peak hours,
the scope of each reader and the number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanyi.analytics import demand as d
from sanyi.analytics.models import DailyFact
from sanyi.analytics.tests.demand_factories import online_case, searches, views
from sanyi.cases.choices import CaseChannel, VisitPurpose
from sanyi.cases.models import Visit
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f


def _period(days: int = 30) -> d.Period:
    return d.Period(days=days, now=timezone.now())


def _row(rows, item):
    return next(r for r in rows if r.item == item)


def test_the_funnel_counts_searches_views_and_the_online_cases_of_the_period(fw):
    item = fw["item"]
    searches("营业许可", 4, top=f"catalog.item:{item.implementation_code}", result_count=2)
    searches("别的", 2, top="catalog.item:OTHER", result_count=1)
    views(item, 9)
    views(item, 5, days_ago=40)  # before the period
    views(item, 3, kind="apply_view")
    online_case(fw)  # a draft
    online_case(fw, submitted=True, returned_with="申请书")
    online_case(fw, submitted=True, accepted=True)
    online_case(fw, submitted=True, days_ago=45)  # before the period

    row = _row(d.funnel(viewer=fw["supervisor"], period=_period()), item)

    assert (row.searched, row.guide_views, row.apply_views) == (4, 9, 3)
    assert (row.started, row.submitted, row.returned, row.accepted) == (3, 2, 1, 1)
    assert (row.start_rate, row.submit_rate, row.returned_rate, row.accept_rate) == (33, 66, 50, 50)


def test_only_catalogue_admins_and_supervisors_read_demand(fw):
    clerk = org_f.staff(fw["district"], Role.WINDOW_CLERK)

    with pytest.raises(PermissionDenied):
        d.funnel(viewer=clerk, period=_period())
    assert d.can_read_demand(org_f.staff(fw["district"], Role.CATALOG_ADMIN))


def test_a_community_supervisor_sees_only_the_items_and_windows_of_the_community(fw):
    reviewer = org_f.staff(fw["district"], Role.CATALOG_ADMIN)
    own = catalog_f.item(unit=fw["comm1"], status="published", reviewer=reviewer)
    other = catalog_f.item(unit=fw["comm2"], status="published", reviewer=reviewer)
    for version in (own, other):
        online_case(fw, version=version)
        views(version.implementation_item, 3)
    center = org_f.center(fw["comm2"], windows=1)
    case = online_case(fw, version=other)
    Visit.objects.create(
        case=case,
        purpose=VisitPurpose.SUBMIT,
        at=timezone.now(),
        window=center.windows.get(),
        recorded_by=reviewer,
    )
    supervisor = org_f.staff(fw["comm1"], Role.SUPERVISOR)

    rows = d.funnel(viewer=supervisor, period=_period())
    given_up = d.abandonment(viewer=supervisor, period=_period())
    peak = d.peak_hours(viewer=supervisor, period=_period())

    assert [r.item for r in rows] == [own.implementation_item]
    assert set(given_up.by_item) <= {own.implementation_item.pk}
    assert peak.total == 0
    assert d.peak_hours(viewer=fw["supervisor"], period=_period()).total == 1


def test_given_up_drafts_are_classified_by_the_furthest_step_reached(fw):
    online_case(fw, idle_days=10)  # opened only
    online_case(fw, idle_days=10, form=True)  # form filled
    online_case(fw, idle_days=10, form=True, uploaded=True)  # all required uploaded
    online_case(fw, idle_days=2, form=True)  # still being worked on
    online_case(fw, idle_days=10, form=True, submitted=True)  # submitted

    given_up = d.abandonment(viewer=fw["supervisor"], period=_period())

    counts = {s.step: s.count for s in given_up.steps}
    assert given_up.total == 3
    assert counts == {
        d.DraftStep.OPENED: 1,
        d.DraftStep.FORM: 1,
        d.DraftStep.MATERIALS: 0,
        d.DraftStep.SUBMIT: 1,
    }


def test_a_draft_with_some_of_its_required_materials_stopped_at_the_materials(fw):
    guide = catalog_f.good_guide()
    second = dict(guide["materials"][0], name="身份证明")
    version = catalog_f.item(
        unit=fw["dept"],
        status="published",
        reviewer=org_f.staff(fw["district"], Role.CATALOG_ADMIN),
        guide=catalog_f.good_guide(materials=[*guide["materials"], second]),
    )
    case = online_case(fw, version=version, idle_days=10, form=True)
    first = case.materials.get(name="申请书")
    first.file = "cases/materials/a.pdf"
    first.save()

    given_up = d.abandonment(viewer=fw["supervisor"], period=_period())

    assert given_up.by_item == {version.implementation_item.pk: {d.DraftStep.MATERIALS: 1}}


def test_a_draft_uploaded_to_recently_is_not_given_up(fw):
    online_case(fw, idle_days=10, form=True)
    case = online_case(fw, idle_days=10, form=True)
    case.materials.filter(name="申请书").update(uploaded_at=timezone.now())

    assert d.abandonment(viewer=fw["supervisor"], period=_period()).total == 1


def test_channel_shift_gives_each_months_share_of_the_channels(fw):
    today = dt.date(2026, 6, 15)
    for day, channel, n in [
        (dt.date(2026, 5, 3), CaseChannel.WINDOW, 3),
        (dt.date(2026, 5, 4), CaseChannel.ONLINE, 1),
        (dt.date(2026, 6, 1), CaseChannel.ONLINE, 3),
        (dt.date(2026, 6, 2), CaseChannel.WINDOW, 1),
        (dt.date(2025, 6, 30), CaseChannel.WINDOW, 7),  # before the twelve months
    ]:
        DailyFact.objects.create(
            day=day, unit=fw["dept"], item=fw["item"], channel=channel, received=n
        )

    shift = d.channel_shift(viewer=fw["supervisor"], today=today)

    assert [m.month for m in shift][:1] == [dt.date(2025, 7, 1)]
    assert len(shift) == 12
    may, june = shift[-2], shift[-1]
    assert (may.total, may.share(CaseChannel.ONLINE), may.share(CaseChannel.WINDOW)) == (4, 25, 75)
    assert (june.total, june.share(CaseChannel.ONLINE)) == (4, 75)
    assert sum(m.total for m in shift) == 8


def test_peak_hours_count_window_visits_by_weekday_and_local_hour(fw):
    center = org_f.center(fw["sub"], windows=1)
    window = center.windows.get()
    case = online_case(fw)
    monday_9 = timezone.make_aware(dt.datetime(2026, 11, 30, 9, 15))
    now = timezone.make_aware(dt.datetime(2026, 12, 4, 12))
    for at in [monday_9, monday_9, monday_9 + dt.timedelta(days=1, hours=5)]:
        Visit.objects.create(
            case=case, purpose="submit", at=at, window=window, recorded_by=fw["supervisor"]
        )

    peak = d.peak_hours(viewer=fw["supervisor"], period=d.Period(days=30, now=now))

    assert peak.total == 3
    assert peak.busiest == ("周一", 9, 2)
    monday = dict(zip(peak.hours, peak.rows[0][1], strict=True))
    tuesday = dict(zip(peak.hours, peak.rows[1][1], strict=True))
    assert monday[9] == (2, 4) and tuesday[14] == (1, 2)
    assert peak.hours == list(range(8, 19))


def test_the_funnel_takes_the_same_queries_for_one_item_or_five(fw):
    reviewer = org_f.staff(fw["district"], Role.CATALOG_ADMIN)
    supervisor = fw["supervisor"]
    online_case(fw, submitted=True)
    d.funnel(viewer=supervisor, period=_period())  # roles read and cached
    with CaptureQueriesContext(connection) as one:
        d.funnel(viewer=supervisor, period=_period())
    for _ in range(4):
        version = catalog_f.item(unit=fw["dept"], status="published", reviewer=reviewer)
        online_case(fw, version=version, submitted=True, returned_with="申请书")
        views(version.implementation_item, 2)
    with CaptureQueriesContext(connection) as five:
        rows = d.funnel(viewer=supervisor, period=_period())

    assert len(rows) == 5
    assert len(five) == len(one)
