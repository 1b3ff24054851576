"""One row by a unique key, read without LIMIT (sanyi.core.queries)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sanyi.core.models import JobRun
from sanyi.core.queries import unique, unique_or_none

pytestmark = pytest.mark.django_db


@pytest.fixture
def runs():
    now = timezone.now()
    return [
        JobRun.objects.create(job=f"job-{i}", slot=now, started_at=now, lease_until=now)
        for i in range(2)
    ]


def test_the_row_a_unique_key_names_is_read_without_limit(runs):
    with CaptureQueriesContext(connection) as ctx:
        row = unique_or_none(JobRun.objects.filter(pk=runs[1].pk).order_by("-slot"))
    assert row == runs[1]
    assert len(ctx.captured_queries) == 1
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "LIMIT" not in sql and "ORDER BY" not in sql
    assert unique(JobRun.objects.filter(pk=runs[0].pk)) == runs[0]


def test_no_row(runs):
    assert unique_or_none(JobRun.objects.filter(pk=-1)) is None
    with pytest.raises(JobRun.DoesNotExist):
        unique(JobRun.objects.filter(pk=-1))


def test_a_filter_matching_several_rows_is_an_error_not_hidden(runs):
    with pytest.raises(JobRun.MultipleObjectsReturned):
        unique_or_none(JobRun.objects.all())
    with pytest.raises(JobRun.MultipleObjectsReturned):
        unique(JobRun.objects.all())
