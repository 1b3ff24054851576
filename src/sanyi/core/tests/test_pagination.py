"""The capped pager: bounded counting, honest about what it leaves out."""

import pytest

from sanyi.audit.models import AuditEvent
from sanyi.audit.services import audit_record
from sanyi.core.pagination import CappedPaginator


@pytest.fixture
def rows(db):
    for n in range(12):
        audit_record(
            actor="系统：测试", action="analytics.rollup", object_type="t", object_id=str(n)
        )
    return AuditEvent.objects.filter(action="analytics.rollup").order_by("-pk")


def test_below_the_cap_the_count_is_exact(rows):
    pager = CappedPaginator(rows, 5, cap=20)

    assert pager.count == 12
    assert not pager.capped
    assert pager.num_pages == 3


def test_past_the_cap_it_counts_and_lists_only_the_cap(rows, django_assert_num_queries):
    pager = CappedPaginator(rows, 5, cap=8)

    with django_assert_num_queries(1):
        assert pager.count == 8
        assert pager.capped
    assert pager.num_pages == 2
    assert len(pager.page(2).object_list) == 3


def test_exactly_at_the_cap_is_not_capped(rows):
    pager = CappedPaginator(rows, 5, cap=12)

    assert pager.count == 12
    assert not pager.capped
