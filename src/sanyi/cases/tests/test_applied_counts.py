"""Application counts per item for the front door's popular services."""

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.cases.selectors import applied_item_counts
from sanyi.cases.tests import factories as f

pytestmark = pytest.mark.django_db


def test_counts_submitted_cases_per_base_item_most_applied_first(w, django_assert_max_num_queries):
    for _ in range(3):
        f.case(w, state="in_progress")
    f.case(w, state="in_progress", item=w["instant_item"])
    f.case(w, state="draft", channel="online")  # never submitted: not counted
    f.case(w, state="precheck", channel="online", item=w["instant_item"])  # submitted
    since = timezone.now() - dt.timedelta(days=1)

    with django_assert_max_num_queries(1):
        counts = applied_item_counts(since=since)

    assert list(counts.items()) == [
        (w["item"].base_item_id, 3),
        (w["instant_item"].base_item_id, 2),
    ]


def test_counts_only_cases_taken_in_under_the_path(w):
    f.case(w, state="in_progress")  # at the district center
    f.case(
        w,
        state="in_progress",
        item=w["community_item"],
        window=w["comm_window"],
        clerk=w["comm_clerk"],
    )
    since = timezone.now() - dt.timedelta(days=1)

    counts = applied_item_counts(since=since, under_path=w["sub1"].path)

    assert counts == {w["community_item"].base_item_id: 1}


def test_old_cases_do_not_count(w):
    f.case(w, state="in_progress")

    assert applied_item_counts(since=timezone.now() + dt.timedelta(minutes=1)) == {}
