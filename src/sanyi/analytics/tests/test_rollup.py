"""Rolling up: rebuilding is idempotent and the queries do not grow with the cases."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanyi.analytics.models import DailyFact
from sanyi.analytics.services import rollup_day, rollup_rebuild
from sanyi.analytics.tests.factories import bulk_cases
from sanyi.calendar.selectors import current_calendar
from sanyi.cases.choices import CaseChannel

DAY = dt.date(2026, 3, 10)
ACTOR = "系统：测试"


def _cases(fw, n: int, day: dt.date = DAY) -> None:
    units = [fw["comm1"], fw["comm2"], fw["dept"]]
    bulk_cases(
        fw,
        [
            {
                "unit": units[i % 3],
                "channel": [CaseChannel.ONLINE, CaseChannel.WINDOW][i % 2],
                "received": day,
                "accepted_on": day - dt.timedelta(days=i % 5),
                "concluded_on": day if i % 3 else None,
                "promised_due_on": day + dt.timedelta(days=i % 3 - 1),
                "visits": i % 2,
            }
            for i in range(n)
        ],
    )


def _rows() -> list[dict]:
    return list(DailyFact.objects.order_by("day", "unit_id", "channel").values())


def test_rebuilding_twice_gives_the_same_rows(fw):
    _cases(fw, 12)
    _cases(fw, 7, day=DAY + dt.timedelta(days=1))
    rollup_rebuild(start=DAY, end=DAY + dt.timedelta(days=1), actor=ACTOR)
    first = [{k: v for k, v in r.items() if k != "id"} for r in _rows()]

    rollup_rebuild(start=DAY, end=DAY + dt.timedelta(days=1), actor=ACTOR)

    assert [{k: v for k, v in r.items() if k != "id"} for r in _rows()] == first
    assert len(first) == 12  # 2 days × 3 units × 2 channels


def _queries_for_a_day_with(fw, n: int, day: dt.date) -> int:
    _cases(fw, n, day=day)
    current_calendar()  # the calendar is kept between calls; read it outside the count
    with CaptureQueriesContext(connection) as ctx:
        rollup_day(day=day, actor=ACTOR)
    return len(ctx.captured_queries)


def test_rollup_queries_do_not_grow_with_the_cases(fw):
    few = _queries_for_a_day_with(fw, 5, DAY)
    many = _queries_for_a_day_with(fw, 50, DAY + dt.timedelta(days=7))
    assert many == few


def test_requests_answered_by_their_due_date_count_as_on_time_for_the_agency(fw):
    from sanyi.annual_reports.tests.factories import info_request
    from sanyi.disclosure_requests.models import InfoRequest

    for due in (DAY, DAY - dt.timedelta(days=1)):
        r = info_request(
            fw["dept"], received=DAY - dt.timedelta(days=20), concluded=DAY, outcome="disclose"
        )
        InfoRequest.objects.filter(pk=r.pk).update(reply_due_on=due)

    rollup_day(day=DAY, actor=ACTOR)

    fact = DailyFact.objects.get(unit=fw["dept"])
    assert (fact.item_id, fact.channel) == (None, "")
    assert (fact.requests_answered, fact.requests_on_time) == (2, 1)


def test_ratings_count_good_ones_and_leave_out_excluded_ones(fw):
    from sanyi.analytics.tests.factories import at
    from sanyi.ratings.models import Rating

    made = bulk_cases(fw, [{"unit": fw["comm1"], "channel": CaseChannel.ONLINE}] * 3)
    for case, level, excluded in zip(made, (5, 1, 1), (False, False, True), strict=True):
        Rating.objects.create(
            case=case, applicant=fw["applicant"], channel="online", level=level,
            rated_at=at(DAY), rated_on=DAY, unit=fw["comm1"], handling_unit=fw["dept"],
            item=fw["item"], excluded=excluded,
        )  # fmt: skip

    rollup_day(day=DAY, actor=ACTOR)

    fact = DailyFact.objects.get()
    assert (fact.ratings, fact.ratings_good, fact.channel) == (2, 1, CaseChannel.ONLINE)


def test_grid_visits_and_events_count_for_the_grid(fw):
    from sanyi.analytics.tests.factories import at
    from sanyi.grid.models import EventReport, HouseholdVisit
    from sanyi.orgs.models import OrgKind, Role
    from sanyi.orgs.tests import factories as org_f

    grid = org_f.unit(fw["comm1"], OrgKind.GRID)
    officer = org_f.staff(grid, Role.GRID_OFFICER)
    HouseholdVisit.objects.create(
        applicant=fw["applicant"], grid=grid, officer=officer, visited_at=at(DAY),
        next_due_on=DAY + dt.timedelta(days=90),
    )  # fmt: skip
    event = EventReport.objects.create(
        grid=grid, unit=fw["comm1"], reporter=officer, category="facility", title="路灯坏了",
        description="路灯坏了", place="1号楼", arrived_on=DAY, due_on=DAY, closed_at=at(DAY, 16),
    )  # fmt: skip
    EventReport.objects.filter(pk=event.pk).update(created_at=at(DAY, 9))

    rollup_day(day=DAY, actor=ACTOR)

    fact = DailyFact.objects.get()
    assert fact.unit_id == grid.pk
    assert (fact.grid_visits, fact.events_reported, fact.events_closed) == (1, 1, 1)


def test_rectifications_count_on_their_due_day_and_on_time_when_done_by_then(fw):
    from sanyi.analytics.tests.factories import bulk_ratings

    made = bulk_cases(fw, [{"unit": fw["comm1"], "channel": CaseChannel.WINDOW}] * 4)
    before, after = DAY - dt.timedelta(days=1), DAY + dt.timedelta(days=1)
    specs = [
        {"level": 1, "rated_on": before, "due_on": DAY, "completed_on": before},
        {"level": 2, "rated_on": before, "due_on": DAY, "completed_on": after},
        {"level": 1, "rated_on": before, "due_on": DAY, "excluded": True},
        {"level": 1, "rated_on": before, "due_on": after},
    ]
    bulk_ratings(fw, list(zip(made, specs, strict=True)))

    rollup_day(day=DAY, actor=ACTOR)

    fact = DailyFact.objects.get(day=DAY)
    assert (fact.ratings_bad, fact.ratings_bad_rectified_on_time) == (2, 1)
    assert (fact.unit_id, fact.item_id, fact.channel) == (fw["comm1"].pk, fw["item"].pk, "window")


def test_publications_with_a_time_limit_count_on_the_day_published_against_their_date(fw):
    from sanyi.analytics.tests.factories import at
    from sanyi.calendar.selectors import add_workdays
    from sanyi.openness.choices import PublicationStatus
    from sanyi.openness.models import Publication
    from sanyi.openness.tests import factories as open_f

    entry = open_f.entry(fw["comm1"], time_limit_days=3)  # 3 working days
    on_time_formed = DAY - dt.timedelta(days=1)
    late_formed = DAY - dt.timedelta(days=14)
    assert add_workdays(late_formed, 3).date < DAY <= add_workdays(on_time_formed, 3).date
    for n, formed in enumerate((on_time_formed, late_formed, None)):
        Publication.objects.create(
            publisher=fw["comm1"], title=f"公示{n}", index_number=f"ANALYTICS-PUB-{n}",
            status=PublicationStatus.PUBLISHED, publish_at=at(DAY), formed_on=formed,
            directory_entry=entry,
        )  # fmt: skip

    rollup_day(day=DAY, actor=ACTOR)

    fact = DailyFact.objects.get(day=DAY)
    assert (fact.publications_timed, fact.publications_on_time) == (2, 1)
    assert (fact.unit_id, fact.item_id, fact.channel) == (fw["comm1"].pk, None, "")
