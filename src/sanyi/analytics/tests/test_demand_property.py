"""The funnel equals a plain recount over the raw rows, whatever the cases are."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.analytics import demand as d
from sanyi.analytics.models import BehaviourCount
from sanyi.analytics.tests.demand_factories import online_case, searches, views
from sanyi.analytics.tests.factories import fact_world
from sanyi.cases.models import Case
from sanyi.search.models import SearchQueryLog

case_st = st.fixed_dictionaries(
    {
        "days_ago": st.sampled_from([0, 3, 29, 31, 60]),
        "submitted": st.booleans(),
        "returned": st.booleans(),
        "accepted": st.booleans(),
    }
)
_world: dict = {}


def _recount(item, since) -> dict[str, int]:
    cases = [
        c
        for c in Case.objects.filter(implementation_item=item, channel="online")
        if c.created_at >= since
    ]
    submitted = [c for c in cases if c.submitted_at is not None]
    return {
        "started": len(cases),
        "submitted": len(submitted),
        "returned": sum(c.precheck_rounds.filter(at_acceptance=False).exists() for c in submitted),
        "accepted": sum(c.accepted_on is not None for c in cases),
    }


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    raw=st.lists(case_st, max_size=8),
    searched=st.integers(min_value=0, max_value=5),
    viewed=st.integers(min_value=0, max_value=50),
)
@pytest.mark.django_db
def test_the_funnel_equals_a_recount_of_the_rows(raw, searched, viewed):
    if (
        "district" not in _world
        or not type(_world["district"]).objects.filter(pk=_world["district"].pk).exists()
    ):
        _world.clear()
        _world.update(fact_world())
    w, item = _world, _world["item"]
    for spec in raw:
        online_case(
            w,
            days_ago=spec["days_ago"],
            submitted=spec["submitted"] or spec["returned"] or spec["accepted"],
            returned_with="申请书" if spec["returned"] else None,
            accepted=spec["accepted"],
        )
    searches("许可", searched, top=f"catalog.item:{item.implementation_code}", result_count=1)
    if viewed:
        views(item, viewed)
    period = d.Period(days=30, now=timezone.now())
    try:
        rows = d.funnel(viewer=w["supervisor"], period=period)
        expected = _recount(item, period.since)
        if not (expected["started"] or searched or viewed):
            assert rows == []
            return
        [row] = rows
        assert (row.searched, row.guide_views) == (searched, viewed)
        assert {k: getattr(row, k) for k in expected} == expected
    finally:
        Case.objects.filter(implementation_item=item).delete()
        SearchQueryLog.objects.all().delete()
        BehaviourCount.objects.all().delete()
