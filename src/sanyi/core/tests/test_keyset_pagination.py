"""Keyset (seek) paging: every row once, in order, both ways, with ties in the sort key;
cursors that were not made by the list are refused; totals stop at the cap."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from sanyi.core.models import JobRun
from sanyi.core.pagination import (
    BadCursor,
    CappedTotal,
    KeysetPager,
    KeysetPagination,
    capped_count,
    keyset_page,
)

pytestmark = pytest.mark.django_db
BASE = dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC)
NEVER = dt.datetime(9999, 12, 31, tzinfo=dt.UTC)
ORDERS = {
    "ascending": ("started_at", "pk"),
    "descending": ("-started_at", "-pk"),
    "mixed": ("-attempt", "started_at", "pk"),
    "annotation": ("sort_finished", "-pk"),
}


def make_runs(starts: list[int], finished: list[bool] | None = None) -> None:
    """One run per entry; ``starts`` repeat on purpose (ties in the sort key)."""
    JobRun.objects.all().delete()
    JobRun.objects.bulk_create(
        JobRun(
            job="bench",
            slot=BASE + dt.timedelta(minutes=n),
            started_at=BASE + dt.timedelta(seconds=start),
            lease_until=BASE,
            attempt=1 + start % 3,
            finished_at=(
                BASE + dt.timedelta(hours=start % 2) if finished and finished[n] else None
            ),
        )
        for n, start in enumerate(starts)
    )


def runs(order: str):
    qs = JobRun.objects.annotate(sort_finished=Coalesce("finished_at", Value(NEVER)))
    return qs.order_by(*ORDERS[order])


def walk_forward(pager: KeysetPager) -> tuple[list[int], list[int]]:
    page = pager.page()
    ids, numbers = [r.pk for r in page], [page.number]
    while page.has_next:
        page = pager.page(after=page.next_cursor)
        ids += [r.pk for r in page]
        numbers.append(page.number)
    return ids, numbers


def walk_back_from_the_end(pager: KeysetPager) -> list[int]:
    page = pager.page()
    while page.has_next:
        page = pager.page(after=page.next_cursor)
    ids = [r.pk for r in page]
    while page.has_previous:
        page = pager.page(before=page.previous_cursor)
        ids = [r.pk for r in page] + ids
    return ids


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    starts=st.lists(st.integers(0, 4), max_size=25),
    finished=st.lists(st.booleans(), min_size=25, max_size=25),
    per_page=st.integers(1, 6),
    order=st.sampled_from(sorted(ORDERS)),
)
def test_pages_cover_every_row_once_in_order_both_ways(db, starts, finished, per_page, order):
    make_runs(starts, finished)
    expected = [r.pk for r in runs(order)]
    pager = KeysetPager(runs(order), per_page=per_page, name="test")

    ids, numbers = walk_forward(pager)

    assert ids == expected
    assert numbers == list(range(1, len(numbers) + 1))
    assert walk_back_from_the_end(pager) == expected


def test_a_cursor_survives_a_filter_and_pages_only_the_filtered_rows():
    make_runs([0, 1, 1, 2, 2, 2, 3, 3, 4, 4] * 2)
    filtered = runs("ascending").filter(attempt=2)
    pager = KeysetPager(filtered, per_page=3, name="test")

    ids, _ = walk_forward(pager)

    assert ids == [r.pk for r in filtered]
    assert all(JobRun.objects.get(pk=pk).attempt == 2 for pk in ids)


def test_rows_added_before_the_position_do_not_repeat_rows_on_the_next_page():
    make_runs([5, 6, 7, 8])
    pager = KeysetPager(runs("ascending"), per_page=2, name="test")
    first = pager.page()
    JobRun.objects.create(
        job="late", slot=BASE, started_at=BASE, lease_until=BASE
    )  # sorts before everything

    second = pager.page(after=first.next_cursor)

    assert [r.pk for r in second] == [r.pk for r in runs("ascending")][3:5]


def test_going_back_to_the_start_shows_the_first_page_in_full():
    make_runs(list(range(7)))
    pager = KeysetPager(runs("ascending"), per_page=3, name="test")
    second = pager.page(after=pager.page().next_cursor)
    third = pager.page(after=second.next_cursor)
    # A row disappears from the first page: going back from the third page reaches the start.
    JobRun.objects.filter(pk=runs("ascending").first().pk).delete()

    back = pager.page(before=third.previous_cursor)

    assert back.number == 2
    back = pager.page(before=back.previous_cursor)
    assert back.number == 1
    assert not back.has_previous
    assert [r.pk for r in back] == [r.pk for r in runs("ascending")][:3]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c[:-1] + ("A" if c[-1] != "A" else "B"),  # signature altered
        lambda c: c.replace(c[2], "x" if c[2] != "x" else "y", 1),  # payload altered
        lambda c: "garbage",
        lambda c: "",  # an empty value is the first page, not an error: checked below
        lambda c: c + "x" * 600,
        lambda c: KeysetPager(runs("ascending"), per_page=2, name="other").page().next_cursor,
    ],
)
def test_cursors_not_made_by_the_list_are_refused(tamper):
    make_runs(list(range(5)))
    pager = KeysetPager(runs("ascending"), per_page=2, name="test")
    cursor = tamper(pager.page().next_cursor)
    if not cursor:
        assert pager.page(after=cursor).number == 1
        return

    for param in ("after", "before"):
        with pytest.raises(BadCursor) as refused:
            pager.page(**{param: cursor})
        assert refused.value.param == param
        assert "翻页位置无效" in str(refused.value)


def test_a_signed_cursor_of_the_wrong_shape_or_type_is_refused():
    make_runs(list(range(5)))
    pager = KeysetPager(runs("ascending"), per_page=2, name="test")
    for payload in ([1, "not a time", 3], [1, BASE.isoformat()], [0, BASE.isoformat(), 1], {}):
        with pytest.raises(BadCursor):
            pager.page(after=pager.signer.sign_object(payload))


def test_after_and_before_together_are_refused():
    make_runs(list(range(5)))
    pager = KeysetPager(runs("ascending"), per_page=2, name="test")
    cursor = pager.page().next_cursor
    with pytest.raises(BadCursor):
        pager.page(after=cursor, before=cursor)


def test_the_order_must_end_with_the_primary_key_and_stay_on_the_model():
    for order in [("started_at",), ("job__length",), ()]:
        with pytest.raises(ImproperlyConfigured):
            KeysetPager(JobRun.objects.order_by(*order), per_page=2, name="test")


def test_the_total_stops_at_the_cap(django_assert_num_queries):
    make_runs(list(range(12)))

    with django_assert_num_queries(1):
        total = capped_count(JobRun.objects.all(), cap=5)

    assert total == CappedTotal(5, capped=True)
    assert str(total) == "超过5"
    assert capped_count(JobRun.objects.all(), cap=12) == CappedTotal(12)
    assert str(capped_count(JobRun.objects.all(), cap=20)) == "12"


def test_a_page_costs_one_query_and_the_capped_count(django_assert_num_queries, monkeypatch):
    monkeypatch.setattr("sanyi.core.pagination.TOTAL_CAP", 4)
    make_runs(list(range(12)))
    pager = KeysetPager(runs("descending"), per_page=3, name="test")

    with django_assert_num_queries(2):
        first = pager.page()
    with django_assert_num_queries(2):
        second = pager.page(after=first.next_cursor)
    with django_assert_num_queries(1):
        everything = KeysetPager(runs("descending"), per_page=20, name="test").page()

    assert first.total == second.total == CappedTotal(4, capped=True)
    assert everything.total == CappedTotal(12)


def test_a_list_page_falls_back_to_the_first_page_and_keeps_the_filters():
    make_runs(list(range(5)))
    params = QueryDict(mutable=True)
    params.update({"status": "running", "after": "tampered", "page": "7"})

    page = keyset_page(params, runs("ascending"), per_page=2, name="test")

    assert page.number == 1
    assert page.notice == "翻页链接已失效，已回到第一页。"
    assert page.query == "status=running"
    assert page.next_url.startswith("?status=running&after=")
    assert page.first_url == "?status=running"


def test_a_list_page_follows_its_links():
    make_runs(list(range(5)))
    params = QueryDict("status=running")
    first = keyset_page(params, runs("ascending"), per_page=2, name="test")

    second = keyset_page(QueryDict(first.next_url[1:]), runs("ascending"), per_page=2, name="test")
    back = keyset_page(
        QueryDict(second.previous_url[1:]), runs("ascending"), per_page=2, name="test"
    )

    assert second.number == 2 and second.has_previous and second.has_next
    assert [r.pk for r in back] == [r.pk for r in first]
    assert not back.notice


def api_request(query: dict) -> Request:
    return Request(APIRequestFactory().get("/api/v1/runs/", query))


def test_the_api_pagination_answers_links_and_a_capped_count(monkeypatch):
    monkeypatch.setattr("sanyi.core.pagination.TOTAL_CAP", 4)
    make_runs(list(range(7)))
    paginator = KeysetPagination()

    rows = paginator.paginate_queryset(runs("ascending"), api_request({"limit": 3}))
    body = paginator.get_paginated_response([r.pk for r in rows]).data

    assert body["count"] == 4 and body["count_capped"] is True
    assert body["previous"] is None
    assert "after=" in body["next"] and "limit=3" in body["next"]
    assert body["results"] == [r.pk for r in runs("ascending")][:3]


def test_the_api_pagination_refuses_a_bad_cursor_naming_the_parameter():
    make_runs(list(range(3)))
    with pytest.raises(ValidationError) as refused:
        KeysetPagination().paginate_queryset(runs("ascending"), api_request({"before": "x:y"}))
    assert "before" in refused.value.detail
    assert "before" in str(refused.value.detail["before"][0])


@pytest.mark.parametrize(("limit", "expected"), [("", 50), ("abc", 50), ("0", 50), ("9999", 500)])
def test_the_api_page_size_is_bounded(limit, expected):
    assert KeysetPagination().get_limit(api_request({"limit": limit})) == expected


def test_cursors_are_signed_with_the_secret_key(settings):
    make_runs(list(range(5)))
    cursor = KeysetPager(runs("ascending"), per_page=2, name="test").page().next_cursor
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"

    with pytest.raises(BadCursor):
        KeysetPager(runs("ascending"), per_page=2, name="test").page(after=cursor)


def test_timestamps_keep_their_microseconds_in_the_cursor():
    make_runs([0, 0, 0])
    JobRun.objects.update(started_at=timezone.now())
    pager = KeysetPager(runs("ascending"), per_page=1, name="test")
    ids, _ = walk_forward(pager)
    assert ids == [r.pk for r in runs("ascending")]
