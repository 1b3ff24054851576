"""A search matching more documents than ``ranking.RANK_WINDOW`` ranks only the window of
the most popular and newest matches, and says so; up to the window everything is ranked."""

import dataclasses
import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.search import backends, lexicon, ranking
from sanyi.search.query import build_plan
from sanyi.search.selectors import search_query, visible_documents
from sanyi.search.tests.factories import ITEM, generated_documents, index_generated, item

pytestmark = pytest.mark.django_db
DAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _window_ids(plan, where, *, titled: bool, size: int) -> list[int]:
    sql, params = ranking.Window(plan, titled, size).sql(where)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    docs=generated_documents,
    # days after DAY of each document (none when 5)
    days=st.lists(st.integers(min_value=0, max_value=5), min_size=14, max_size=14),
    text=st.sampled_from(["户口", "登记", "户口 迁移", "生育登记", "hukou", ""]),
    level=st.sampled_from([None, "a"]),
    size=st.integers(min_value=1, max_value=6),
    titled=st.booleans(),
    offset=st.sampled_from([0, 0, 2]),
)
def test_a_capped_search_ranks_its_window_as_a_full_search_ranks_the_same_documents(
    monkeypatch, docs, days, text, level, size, titled, offset
):
    with transaction.atomic():
        index_generated(
            docs, [None if d == 5 else DAY + dt.timedelta(days=d) for d in days[: len(docs)]]
        )
        plan = build_plan(text, {}) if text else None
        titled = titled and plan is not None and bool(plan.tiers)
        base = visible_documents(None).filter(kind__in=[ITEM])
        filters = {"level": [level]} if level else {}
        where = ranking.where_sql(ranking.filtered(base, filters, browse=plan is None))
        focus = "l.group_tier > 0 OR l.best_tier = 0"
        window = _window_ids(plan, where, titled=titled, size=size)
        everything = _window_ids(plan, where, titled=titled, size=100)

        monkeypatch.setattr(ranking, "RANK_WINDOW", size)
        page = ranking._fetch_page(plan, where, focus, 3, offset, titled=titled)
        # The reference: no window, the same filters, and the window's documents alone.
        monkeypatch.setattr(ranking, "RANK_WINDOW", 100)
        only = ranking.where_sql(
            ranking.filtered(base.filter(pk__in=window or [0]), filters, browse=plan is None)
        )
        reference = ranking._fetch_page(plan, only, focus, 3, offset, titled=titled)

        if not everything:
            assert page is None
        elif len(everything) <= size:
            assert page is not None
            assert not page.capped
        else:
            assert len(window) == size
            assert page is not None
            assert page.capped
            assert set(page.window.ids) == set(window)
            assert dataclasses.replace(page, window=None) == dataclasses.replace(
                reference, window=None
            )
        transaction.set_rollback(True)


def _set(monkeypatch, size: int) -> None:
    monkeypatch.setattr(ranking, "RANK_WINDOW", size)


def test_a_broad_search_lists_the_most_used_and_newest_matches_and_says_it_is_capped(
    monkeypatch,
):
    for n, (weight, day) in enumerate([(0, 1), (5, 1), (0, 9), (2, 3), (0, 2)]):
        item(
            f"户口登记{n}",
            weight=weight,
            sort_date=DAY + dt.timedelta(days=day),
            facets={"level": ["district" if n % 2 else "subdistrict"]},
        )
    lexicon.ensure_fresh()
    _set(monkeypatch, 3)

    results = search_query(text="户口", kinds=[ITEM], viewer=AnonymousUser(), log=False)

    assert results.capped
    # Weight first (5, 2), then the newest of the rest (day 9).
    assert sorted(h.title for h in results.hits) == ["户口登记1", "户口登记2", "户口登记3"]
    assert results.total == 3
    assert sum(results.facet_counts["level"].values()) == 3

    _set(monkeypatch, 5)
    every = search_query(text="户口", kinds=[ITEM], viewer=AnonymousUser(), log=False)
    assert not every.capped
    assert every.total == 5
    assert sum(every.facet_counts["level"].values()) == 5


def test_a_capped_filtered_facet_is_counted_over_its_own_window(monkeypatch):
    for n in range(6):
        item(f"生育登记{n}", weight=n, facets={"level": ["district" if n < 4 else "community"]})
    lexicon.ensure_fresh()
    _set(monkeypatch, 3)

    results = search_query(
        text="登记", kinds=[ITEM], filters={"level": ["district"]}, viewer=AnonymousUser()
    )

    assert results.capped
    assert [h.title for h in results.hits] == ["生育登记3", "生育登记2", "生育登记1"]
    # The level itself is counted without its own filter: over the window of all six.
    assert results.facet_counts["level"] == {"community": 2, "district": 1}


def test_a_search_reads_its_window_in_one_statement_capped_or_not(monkeypatch):
    """The ids of the window come from one statement, the first RANK_WINDOW + 1 matches in
    the window's order: a capped search costs no statement more than one that is not."""
    for n in range(6):
        item(f"生育登记{n}", weight=n, facets={"level": ["district"]})
    lexicon.ensure_fresh()
    statements = {}
    for size in (3, 10):
        _set(monkeypatch, size)
        with CaptureQueriesContext(connection) as captured:
            results = search_query(text="登记", kinds=[ITEM], viewer=AnonymousUser(), log=False)
        assert results.capped == (size == 3)
        assert results.total == min(size, 6)
        statements[size] = [q["sql"] for q in captured.captured_queries]
    assert len(statements[3]) == len(statements[10])
    for sqls in statements.values():
        assert sum(backends.WINDOW_ORDER in sql for sql in sqls) == 1
