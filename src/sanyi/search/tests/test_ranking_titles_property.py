"""Ranking only the title matches when titles are preferred gives exactly the page that
ranking every match and keeping the titled groups gives: same hits in the same order, same
total, same number left out, same best tier."""

import dataclasses

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.search import ranking
from sanyi.search.query import build_plan
from sanyi.search.selectors import visible_documents
from sanyi.search.tests.factories import ITEM, generated_documents, index_generated

pytestmark = pytest.mark.django_db
SYNONYMS = {"低保": ["最低生活保障"], "上户口": ["户口登记", "出生登记"], "添孩子": ["生育登记"]}

queries = st.sampled_from(
    ["户口", "户口簿", "登记", "户口 迁移", "生育登记", "低保", "上户口", "添孩子", "hukou", "bt"]
)


def _without_window(page):
    return dataclasses.replace(page, window=None)


def _page(plan, where, *, limit, offset, titled):
    focus = "l.group_tier > 0 OR l.best_tier = 0"
    page = ranking._fetch_page(plan, where, focus, limit, offset, titled=titled)
    return page or ranking.Page([], 0, 0, 0)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    docs=generated_documents,
    text=queries,
    level=st.sampled_from([None, "a"]),
    limit=st.sampled_from([1, 3, 20]),
    offset=st.sampled_from([0, 0, 2, 30]),
)
def test_ranking_only_title_matches_gives_the_same_page(docs, text, level, limit, offset):
    with transaction.atomic():
        index_generated(docs)
        plan = build_plan(text, SYNONYMS)
        base = visible_documents(None).filter(kind__in=[ITEM])
        filters = {"level": [level]} if level else {}
        where = ranking.where_sql(ranking.filtered(base, filters, browse=False))

        # Everything ranked, then the titled groups kept: the page as it was computed
        # before only title matches were ranked.
        reference = _page(plan, where, limit=limit, offset=offset, titled=False)
        page = ranking.ranked_page(plan, where, limit=limit, offset=offset, prefer_titles=True)

        # The documents read (window) differ; the page does not.
        assert _without_window(page) == _without_window(reference)
        titled = _page(plan, where, limit=limit, offset=offset, titled=True)
        if reference.best_tier == 0:
            assert titled.total == 0  # no title matched: the whole match is ranked
        else:
            assert _without_window(titled) == _without_window(reference)
        # The facets of a page that left body-only matches out count the title matches:
        # read from the titled window's documents, they are those the index finds.
        if page.focused:
            labels = {"level": "层级"}
            from_window = ranking.facet_counts(
                base, filters, labels, plan.node, title_only=True, window=page.window
            )
            from_index = ranking.facet_counts(base, filters, labels, plan.node, title_only=True)
            assert from_window == from_index
        transaction.set_rollback(True)
