"""Reading the one row a unique key names, without ``LIMIT``.

``QuerySet.first()`` adds ``LIMIT 1`` and ``.get()`` adds ``LIMIT 21``. With a LIMIT,
PostgreSQL also weighs "fast start" join paths, and for one row read with many
``select_related`` joins that planning costs far more than running the query: the staff
case page's case, joined to 14 other tables, took about 20 ms to plan with ``LIMIT 1`` and
3 ms without, for under half a millisecond of execution (docs/performance.md). A filter on
a unique key (a primary key, a case number) already bounds the result to one row, so these
lookups read it as a plain list and check that it holds no more than one.

Use them only where the filter names a unique key and every join is to-one; a filter that
could match several rows is a bug these helpers report instead of hiding.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def unique_or_none(queryset: QuerySet[M]) -> M | None:
    """The one row of ``queryset`` (filtered on a unique key), or None when there is none."""
    rows = list(queryset.order_by())
    if len(rows) > 1:
        model: Any = queryset.model  # the model's own exception classes
        raise model.MultipleObjectsReturned(
            f"{queryset.model.__name__}: {len(rows)} rows where a unique key names one"
        )
    return rows[0] if rows else None


def unique(queryset: QuerySet[M]) -> M:
    """As ``unique_or_none``, raising the model's ``DoesNotExist`` when there is no row."""
    row = unique_or_none(queryset)
    if row is None:
        model: Any = queryset.model
        raise model.DoesNotExist(f"{queryset.model.__name__}: no row")
    return row
