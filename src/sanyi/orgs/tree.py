"""Materialised-path helpers. Only ``orgs.services`` writes paths."""

from django.db import connection
from django.db.models import Q

from sanyi.orgs.models import PATH_SEGMENT_WIDTH

# Paths hold only digits and "/", and "0" sorts right after "/", so every path that starts
# with "…/" lies in the half-open range ["…/", "…0").
_AFTER_SEPARATOR = chr(ord("/") + 1)


def segment(pk: int) -> str:
    return f"{pk:0{PATH_SEGMENT_WIDTH}d}/"


def child_path(parent_path: str, pk: int) -> str:
    return f"{parent_path}{segment(pk)}"


def subtree_q(prefix: str, field: str = "path") -> Q:
    """Rows whose ``field`` (a path) starts with ``prefix``, written so the index is used.

    PostgreSQL serves ``LIKE 'prefix%'`` from the varchar_pattern_ops index Django adds for
    the unique ``path``. SQLite's LIKE is case-insensitive and skips a binary index, so
    there the same set is asked as a range, which the unique index answers.
    """
    if not prefix:
        return Q(**{f"{field}__isnull": False})
    if connection.vendor == "sqlite" and prefix.endswith("/"):
        return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix[:-1] + _AFTER_SEPARATOR})
    return Q(**{f"{field}__startswith": prefix})
