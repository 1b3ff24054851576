"""The demo year (``sanyi demo load``'s analytics part): a district's year of cases with
its seasons, valid by the cases app's own rules, rolled up for every month."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter

import pytest
from django.db import transaction
from django.db.models import F, Sum
from django.test import override_settings
from django.utils import timezone

from sanyi.analytics.models import DailyFact
from sanyi.cases.choices import CaseStatus
from sanyi.cases.clocks import compute_dues
from sanyi.cases.models import Case, CaseNumberCounter
from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.ratings.models import Rating, Rectification
from sanyi.search.models import SearchQueryLog

pytestmark = pytest.mark.django_db
FULL_YEAR = 24_000
BEFORE = ("orgs", "applicants", "catalog")


def _load_before() -> None:
    rng = random.Random(2026)
    for part in parts():
        if part.name in BEFORE:
            part.run(actor=DEMO_ACTOR, rng=rng)


@pytest.fixture(scope="module")
def year(django_db_setup, django_db_blocker):
    """The org tree, the catalogue and the full demo year, loaded once for the module and
    rolled back after it."""
    from sanyi.analytics import demo

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            _load_before()
            with override_settings(SANYI_DEMO_YEAR_CASES=FULL_YEAR):
                result = demo.load(actor=DEMO_ACTOR, rng=random.Random(2026))
            yield result
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _year_cases():
    return Case.objects.filter(form_data__demo="demo-year")


def _received_days() -> list[dt.date]:
    return [timezone.localdate(at) for at in _year_cases().values_list("created_at", flat=True)]


def _months(today: dt.date) -> list[tuple[int, int]]:
    first = today - dt.timedelta(days=364)
    months, day = [], first.replace(day=1)
    while day <= today:
        months.append((day.year, day.month))
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def test_at_least_twenty_thousand_cases_in_the_last_twelve_months(year):
    today = timezone.localdate()
    days = _received_days()

    assert len(days) >= 20_000
    assert min(days) >= today - dt.timedelta(days=364) and max(days) <= today
    assert "一年的办件" in year.summary


def test_summer_enrolment_and_the_year_end_are_visible_peaks(year):
    by_month = Counter(day.month for day in _received_days())

    assert by_month[7] > 1.3 * by_month[4]
    assert by_month[8] > 1.3 * by_month[5]
    assert max(by_month, key=by_month.get) in (7, 8)


def test_rollups_exist_for_every_month_and_add_up_to_the_cases(year):
    today = timezone.localdate()
    start = today - dt.timedelta(days=364)
    with_facts = DailyFact.objects.filter(concluded__gt=0).dates("day", "month")
    months = {(d.year, d.month) for d in with_facts}
    concluded = DailyFact.objects.filter(day__gte=start).aggregate(n=Sum("concluded"))["n"]
    cases = Case.objects.filter(concluded_on__gte=start, concluded_on__lte=today)

    assert set(_months(today)) - {(today.year, today.month)} <= months
    assert concluded == cases.count()


def test_dates_and_statuses_follow_the_case_rules(year):
    today = timezone.localdate()
    cases = _year_cases()

    assert not cases.filter(concluded_on__lt=F("accepted_on")).exists()
    assert not cases.filter(concluded_on__gt=today).exists()
    assert not cases.filter(status=CaseStatus.DELIVERED, delivered_at__isnull=True).exists()
    assert not cases.filter(status=CaseStatus.IN_PROGRESS, concluded_on__isnull=False).exists()
    assert (
        not cases.filter(accepted_on__isnull=False, promised_due_on__isnull=True)
        .exclude(item_version__promised_limit_unit__in=["", "none"])
        .exists()
    )
    statuses = Counter(cases.values_list("status", flat=True))
    assert statuses[CaseStatus.DELIVERED] > 0.8 * sum(statuses.values())
    late = cases.filter(concluded_on__gt=F("promised_due_on")).count()
    assert 0 < late < 0.15 * statuses[CaseStatus.DELIVERED]
    assert set(cases.values_list("visits", flat=True)) == {0, 1, 2}


def test_due_dates_are_the_ones_the_cases_app_computes(year):
    sample = list(
        _year_cases()
        .filter(accepted_on__isnull=False)
        .select_related("item_version")
        .order_by("id")[::400]
    )

    for case in sample:
        dues = compute_dues(case, stops=[])
        assert case.promised_due_on == (dues.promised.date if dues.promised else None), case
        assert case.statutory_due_on == (dues.statutory.date if dues.statutory else None), case


def test_numbers_follow_the_numbering_scheme_and_the_counters_carry_on(year):
    pattern = re.compile(r"^(.+)-(\d{8})-(\d{4,})$")
    last = {(c.implementation_code, c.day): c.last for c in CaseNumberCounter.objects.all()}

    for number, code, created in _year_cases().values_list(
        "number", "implementation_item__implementation_code", "created_at"
    )[::97]:
        match = pattern.match(number)
        assert match and match[1] == code
        day = timezone.localdate(created)
        assert match[2] == f"{day:%Y%m%d}"
        assert int(match[3]) <= last[(code, day)]


def test_ratings_are_mostly_good_and_every_bad_one_is_rectified(year):
    ratings = Rating.objects.filter(case__form_data__demo="demo-year")
    good = ratings.filter(level__gte=3).count()
    bad = ratings.filter(level__lte=2)

    assert 0.85 < good / ratings.count() < 0.99
    assert Rectification.objects.filter(rating__in=bad).count() == bad.count() > 0


def test_search_logs_have_popular_zero_result_and_poor_searches(year):
    logs = SearchQueryLog.objects.all()
    top = Counter(logs.values_list("text", flat=True)).most_common(1)[0][0]

    assert logs.count() > 5_000
    assert top == "医保"
    assert logs.filter(result_count=0).exists()
    assert logs.filter(is_poor=True, result_count__gt=0).exists()
