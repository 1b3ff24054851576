"""Whole numbers that reach the database: ids and filters bounded by what a column holds.

SQLite and PostgreSQL store integers in at most 64 bits. A query parameter such as
``?parent=9223372036854775808`` used to reach the database driver and fail there (a 500 on
SQLite, a DataError on PostgreSQL). Every id or integer filter that callers send is parsed
by one of the fields here, so an out-of-range number is a 400 naming the parameter, and
``install_overflow_lookups`` keeps foreign-key lookups written in code from crashing the
same way (Django already does this for plain integer columns, not for foreign keys).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.core.exceptions import EmptyResultSet
from django.db.models import ForeignKey
from django.db.models.fields.related_lookups import RelatedExact
from rest_framework import serializers

DB_INT_MAX = 2**63 - 1  # the largest id any supported database can store


def id_messages(label: str, name: str) -> dict[str, str]:
    message = f"{label}（{name}）应为正整数"
    return {
        "invalid": message,
        "min_value": message,
        "max_value": f"{label}（{name}）太大，不是有效的编号（最大{DB_INT_MAX}）",
    }


class IdFilter(django_filters.NumberFilter):
    """``?unit=12``: a whole number from 1 to the largest storable id, or a 400."""

    # NumberFilter parses decimals; ids are whole numbers.
    field_class = forms.IntegerField

    def __init__(self, *args: Any, label: str, param: str, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        kwargs.setdefault("error_messages", id_messages(label, param))
        super().__init__(*args, label=label, **kwargs)


class IdQueryField(serializers.IntegerField):
    """An id in a query or request body, bounded like ``IdFilter``."""

    def __init__(self, *, label: str, param: str, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", DB_INT_MAX)
        kwargs.setdefault("error_messages", id_messages(label, param))
        kwargs.setdefault("help_text", label)
        super().__init__(**kwargs)


def parse_id(value: str, *, label: str, param: str) -> int:
    """A raw query-string id as an int; raises a DRF ValidationError naming ``param``."""
    field = IdQueryField(label=label, param=param)
    try:
        return field.run_validation(value)
    except serializers.ValidationError as exc:
        raise serializers.ValidationError({param: exc.detail}) from exc


class _ForeignKeyExactInRange(RelatedExact):
    """``fk_id=<too big>`` matches nothing instead of overflowing the driver."""

    def process_rhs(self, compiler: Any, connection: Any) -> tuple[str, Any]:
        target = self.lhs.output_field
        target = getattr(target, "target_field", target)
        rhs = self.rhs
        if isinstance(rhs, int) and not isinstance(rhs, bool):
            try:
                low, high = connection.ops.integer_field_range(target.get_internal_type())
            except KeyError:  # not an integer key (e.g. a code): nothing to bound
                return super().process_rhs(compiler, connection)
            if (low is not None and rhs < low) or (high is not None and rhs > high):
                raise EmptyResultSet
        return super().process_rhs(compiler, connection)


def install_overflow_lookups() -> None:
    ForeignKey.register_lookup(_ForeignKeyExactInRange, lookup_name="exact")
