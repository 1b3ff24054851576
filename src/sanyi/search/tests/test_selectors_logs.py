import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as orgs
from sanyi.search.models import SearchQueryLog
from sanyi.search.selectors import search_query, top_queries, zero_result_queries
from sanyi.search.tests.factories import ITEM, PUBLICATION, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalog_admin():
    return orgs.staff(orgs.district(), Role.CATALOG_ADMIN)


def test_zero_result_queries_are_grouped_and_counted_most_asked_first(catalog_admin):
    item("户口迁移")
    for text in ["办证", "办证", "办证", "高龄老人坐车", "户口"]:
        search_query(text=text, kinds=[ITEM])

    stats = zero_result_queries(viewer=catalog_admin, since=timezone.now() - dt.timedelta(days=1))

    assert [(s.text, s.count) for s in stats] == [("办证", 3), ("高龄老人坐车", 1)]


def test_old_searches_and_blank_browsing_are_left_out(catalog_admin):
    search_query(text="办证", kinds=[ITEM])
    search_query(text="", kinds=[ITEM])
    SearchQueryLog.objects.update(created_at=timezone.now() - dt.timedelta(days=40))
    search_query(text="开店", kinds=[ITEM])

    stats = zero_result_queries(viewer=catalog_admin, since=timezone.now() - dt.timedelta(days=30))

    assert [s.text for s in stats] == ["开店"]


def test_top_queries_count_searches_and_how_often_they_found_nothing(catalog_admin):
    item("户口迁移", facets={"level": ["district"]})
    search_query(text="户口", kinds=[ITEM])
    search_query(text="户口", kinds=[ITEM], filters={"level": ["community"]})
    search_query(text="户口", kinds=[ITEM])
    search_query(text="办证", kinds=[ITEM])

    stats = top_queries(viewer=catalog_admin, since=timezone.now() - dt.timedelta(hours=1))

    assert [(s.text, s.count, s.zero_result_count) for s in stats] == [
        ("户口", 3, 1),
        ("办证", 1, 1),
    ]


def test_statistics_can_be_limited_to_one_kind(catalog_admin):
    search_query(text="办证", kinds=[ITEM])
    search_query(text="年报", kinds=[PUBLICATION])

    stats = zero_result_queries(
        viewer=catalog_admin, since=timezone.now() - dt.timedelta(hours=1), kinds=[PUBLICATION]
    )

    assert [s.text for s in stats] == ["年报"]


@pytest.mark.parametrize("role", [None, Role.WINDOW_CLERK, Role.GRID_OFFICER])
def test_only_analysts_may_read_the_query_log(role):
    viewer = orgs.staff(orgs.district(), role) if role else None

    with pytest.raises(PermissionDenied):
        zero_result_queries(viewer=viewer, since=timezone.now())
    with pytest.raises(PermissionDenied):
        top_queries(viewer=viewer, since=timezone.now())
