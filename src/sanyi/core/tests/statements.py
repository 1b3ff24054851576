"""Counting a job's SQL statements for tests that check it is set-based."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext


def statements_of(run: Callable[[], object], *, setup: Callable[[], object]) -> tuple[int, int]:
    """(statements other than INSERT, INSERT statements) that ``run`` sends after
    ``setup``; both are rolled back afterwards, so a test can measure several sizes."""
    sid = transaction.savepoint()
    try:
        setup()
        with CaptureQueriesContext(connection) as ctx:
            run()
        inserts = sum(q["sql"].startswith("INSERT") for q in ctx.captured_queries)
        return len(ctx.captured_queries) - inserts, inserts
    finally:
        transaction.savepoint_rollback(sid)
