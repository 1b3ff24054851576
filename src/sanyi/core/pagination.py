"""Lists that stay fast however many rows match.

Two pagers, both with a bounded count:

* ``KeysetPager`` (seek paging) for the long working lists (worklists, the overdue view,
  the disclosure lists and the API lists behind them). A page is found by where the last
  one ended, ``WHERE (sort key, id) > (last row's)``, never by ``OFFSET``: page 500 costs
  what page 1 costs when an index matches the order. The order is the queryset's own
  ``order_by``, which must end with the primary key so ties in the sort key are broken.
  The position travels as an opaque, signed cursor (``after=`` for 下一页, ``before=`` for
  上一页); a cursor that was altered or belongs to another list is refused (``BadCursor``).
  The total is counted up to ``TOTAL_CAP`` rows and shown as "超过1000" past it.
* ``CappedPaginator`` (page numbers) where a list needs numbered pages and stays bounded:
  it asks the database for at most ``cap + 1`` rows' worth of count
  (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``), says so past the cap (``capped``) and
  pages through the first ``cap`` rows only.

Sort keys must never be NULL (NULLs sort differently on SQLite and PostgreSQL and defeat
the seek condition): sort on ``Coalesce(column, sentinel)`` annotated under a name, and
index the same expression.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property, reduce
from typing import Any, Generic, TypeVar
from urllib.parse import urlencode

from django.core import signing
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.paginator import Paginator
from django.db.models import (
    BooleanField,
    Expression,
    F,
    Field,
    IntegerField,
    Model,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.http import QueryDict
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_CAP = 10_000
TOTAL_CAP = 1_000  # keyset lists count this many rows at most
MAX_CURSOR_LENGTH = 512
BAD_CURSOR = "翻页位置无效（可能已过期或被改动），请从第一页重新开始"
CURSOR_PARAMS = ("after", "before")

M = TypeVar("M", bound=Model)


class CappedPaginator(Paginator):
    def __init__(
        self, object_list: Any, per_page: int, *, cap: int = DEFAULT_CAP, **kwargs: Any
    ) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def _total(self) -> CappedTotal:
        rows: Any = self.object_list  # a QuerySet, counted in the database
        return capped_count(rows, self.cap)

    @cached_property
    def count(self) -> int:
        return self._total.count

    @property
    def capped(self) -> bool:
        """More rows match than the pager counts and lists."""
        return self._total.capped


# --- bounded totals -------------------------------------------------------------------------


@dataclass(frozen=True)
class CappedTotal:
    """How many rows match, counted up to ``cap``: ``count`` is exact unless ``capped``
    (then more than ``count`` rows match)."""

    count: int
    capped: bool = False

    def __str__(self) -> str:
        return f"超过{self.count}" if self.capped else str(self.count)


def capped_count(queryset: QuerySet[Any], cap: int | None = None) -> CappedTotal:
    """Count the rows of ``queryset``, reading at most ``cap + 1`` of them (one query);
    ``cap`` defaults to ``TOTAL_CAP``."""
    cap = TOTAL_CAP if cap is None else cap
    found = queryset.order_by().values("pk")[: cap + 1].count()
    return CappedTotal(min(found, cap), found > cap)


class CappedCount(Subquery):
    """``capped_count`` as an annotation: the rows of a correlated queryset (``OuterRef``),
    counted up to ``cap + 1``. Compare the value with the cap to tell "more than"."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) AS capped_rows)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet[Any], cap: int) -> None:
        super().__init__(queryset.order_by().values("pk")[: cap + 1])


# --- keyset paging --------------------------------------------------------------------------


class BadCursor(ValueError):
    """A cursor that was not made by this list: altered, truncated, or from another list."""

    def __init__(self, param: str, message: str = BAD_CURSOR) -> None:
        super().__init__(message)
        self.param = param


@dataclass(frozen=True)
class _Key:
    lookup: str  # the name to filter on: a field, an annotation or "pk"
    attr: str  # where a loaded row holds the value
    descending: bool
    field: Field[Any, Any]  # reads a cursor value back (to_python)


def _keys(queryset: QuerySet[Any]) -> tuple[_Key, ...]:
    """The sort keys of ``queryset``: its ``order_by``, which must end with the primary key."""
    meta = queryset.model._meta
    order = queryset.query.order_by
    keys = []
    for item in order:
        if not isinstance(item, str) or "__" in item or item.lstrip("-") == "?":
            raise ImproperlyConfigured(
                f"keyset paging orders by the model's own fields or annotations: {item!r}"
            )
        name = item.removeprefix("-")
        annotation = queryset.query.annotations.get(name)
        if annotation is not None:
            field, attr = annotation.output_field, name
        else:
            field = meta.pk if name == "pk" else meta.get_field(name)
            attr = field.attname
        keys.append(_Key(name, attr, item.startswith("-"), field))
    if not keys or keys[-1].field is not meta.pk:
        raise ImproperlyConfigured("keyset paging needs an order_by that ends with the pk")
    return tuple(keys)


class _RowCompare(Expression):
    """``(a, b, id) > (x, y, z)`` as one row comparison: PostgreSQL starts its index scan
    right at the position, however many rows tie on ``a`` (SQLite reads row values too)."""

    output_field = BooleanField()
    conditional = True

    def __init__(self, columns: Sequence[Any], op: str, values: Sequence[Any]) -> None:
        super().__init__()
        self.columns = list(columns)
        self.op = op
        self.values = list(values)

    def get_source_expressions(self) -> list[Any]:
        return self.columns

    def set_source_expressions(self, exprs: Sequence[Any]) -> None:
        self.columns = list(exprs)

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        sides: list[list[str]] = [[], []]
        params: list[Any] = []
        for column in self.columns:
            sql, column_params = compiler.compile(column)
            sides[0].append(sql)
            params += column_params
        for column, value in zip(self.columns, self.values, strict=True):
            sql, value_params = compiler.compile(Value(value, output_field=column.output_field))
            sides[1].append(sql)
            params += value_params
        return f"({', '.join(sides[0])}) {self.op} ({', '.join(sides[1])})", params


def _seek(keys: Sequence[_Key], values: Sequence[Any], *, forward: bool) -> Q | _RowCompare:
    """Rows strictly after (``forward``) or before the position ``values`` in list order.

    Keys all sorted one way: one row comparison. Mixed directions: ``a >= x AND (a > x OR
    a = x AND b < y OR …)``, whose leading bound still starts the index scan near the
    position (rows tying on ``a`` are read and skipped)."""
    ops = {"gt" if forward != key.descending else "lt" for key in keys}
    if len(ops) == 1:
        op = ">" if ops == {"gt"} else "<"
        return _RowCompare([F(key.lookup) for key in keys], op, values)
    terms = []
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        op = "gt" if forward != key.descending else "lt"
        terms.append(equal & Q(**{f"{key.lookup}__{op}": value}))
        equal &= Q(**{key.lookup: value})
    first = keys[0]
    bound = "gte" if forward != first.descending else "lte"
    return Q(**{f"{first.lookup}__{bound}": values[0]}) & reduce(operator.or_, terms)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


@dataclass
class KeysetPage(Generic[M]):
    """One page of a keyset list, with what its pager needs.

    ``number`` counts pages from the first as the reader walked them (for 第N页 only: rows
    added meanwhile can shift it). ``notice`` is set when the requested position was refused
    and the first page is shown instead. ``query`` holds the request's other parameters (the
    filters), URL-encoded, so the pager's links keep them.
    """

    object_list: list[M]
    number: int
    has_next: bool
    has_previous: bool
    next_cursor: str
    previous_cursor: str
    total: CappedTotal
    notice: str = ""
    query: str = ""

    def __iter__(self) -> Iterator[M]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)

    def _url(self, **param: str) -> str:
        parts = [self.query] if self.query else []
        if param:
            parts.append(urlencode(param))
        return "?" + "&".join(parts)

    @property
    def next_url(self) -> str:
        return self._url(after=self.next_cursor) if self.has_next else ""

    @property
    def previous_url(self) -> str:
        return self._url(before=self.previous_cursor) if self.has_previous else ""

    @property
    def first_url(self) -> str:
        return self._url()


class KeysetPager(Generic[M]):
    """Seek paging over ``queryset`` in its own order (see the module docstring).

    ``name`` names the list: it salts the cursors, so a cursor of one list is refused by
    another. A page costs one query, plus the capped count unless the first page shows
    every row.
    """

    def __init__(
        self, queryset: QuerySet[M], *, per_page: int, name: str, cap: int | None = None
    ) -> None:
        self.queryset = queryset
        self.per_page = per_page
        self.keys = _keys(queryset)
        self.cap = TOTAL_CAP if cap is None else cap
        self.signer = signing.Signer(salt=f"sanyi.core.pagination.keyset:{name}")

    def page(self, *, after: str = "", before: str = "") -> KeysetPage[M]:
        """The page after the cursor ``after``, before the cursor ``before``, or the first.
        Raises ``BadCursor`` for a cursor this list did not make."""
        if after and before:
            raise BadCursor("before", "翻页位置只能给出一个：after 或 before")
        if before:
            number, values = self._read(before, "before")
            page = self._backward(number, values)
            if page is not None:
                return page
        elif after:
            return self._forward(self._read(after, "after")[0] + 1, self.rows_after(after))
        return self._forward(1, self.queryset)

    def rows_after(self, cursor: str) -> QuerySet[M]:
        """The rows after the cursor's position, in list order (what 下一页 reads)."""
        return self.queryset.filter(_seek(self.keys, self._read(cursor, "after")[1], forward=True))

    def total(self) -> CappedTotal:
        return capped_count(self.queryset, self.cap)

    def _forward(self, number: int, queryset: QuerySet[M]) -> KeysetPage[M]:
        rows = list(queryset[: self.per_page + 1])
        has_next = len(rows) > self.per_page
        rows = rows[: self.per_page]
        # When the first page holds every row, its length is the total: no count needed.
        total = CappedTotal(len(rows)) if number == 1 and not has_next else self.total()
        return self._page(rows, number, has_next=has_next, has_previous=number > 1, total=total)

    def _backward(self, number: int, values: list[Any]) -> KeysetPage[M] | None:
        """The page before the position, or None when it reaches the start (the first page
        is then shown in full)."""
        earlier = self.queryset.filter(_seek(self.keys, values, forward=False)).reverse()
        rows = list(earlier[: self.per_page + 1])
        if len(rows) <= self.per_page:
            return None
        rows = rows[: self.per_page][::-1]
        number = max(number - 1, 2)
        return self._page(rows, number, has_next=True, has_previous=True, total=self.total())

    def _page(
        self, rows: list[M], number: int, *, has_next: bool, has_previous: bool, total: CappedTotal
    ) -> KeysetPage[M]:
        return KeysetPage(
            object_list=rows,
            number=number,
            has_next=has_next and bool(rows),
            has_previous=has_previous and bool(rows),
            next_cursor=self._cursor(number, rows[-1]) if rows else "",
            previous_cursor=self._cursor(number, rows[0]) if rows else "",
            total=total,
        )

    def _cursor(self, number: int, row: M) -> str:
        values = [getattr(row, key.attr) for key in self.keys]
        if any(value is None for value in values):
            raise ImproperlyConfigured("keyset sort keys must not be NULL (sort on Coalesce)")
        return self.signer.sign_object([number, *map(_plain, values)])

    def _read(self, cursor: str, param: str) -> tuple[int, list[Any]]:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise BadCursor(param)
        try:
            payload = self.signer.unsign_object(cursor)
        except (signing.BadSignature, ValueError):
            raise BadCursor(param) from None
        if (
            not isinstance(payload, list)
            or len(payload) != len(self.keys) + 1
            or not isinstance(payload[0], int)
            or payload[0] < 1
        ):
            raise BadCursor(param)
        try:
            values = [key.field.to_python(v) for key, v in zip(self.keys, payload[1:], strict=True)]
        except (ValidationError, TypeError, ValueError):
            raise BadCursor(param) from None
        if any(value is None for value in values):
            raise BadCursor(param)
        return payload[0], values


def keyset_page(
    params: QueryDict, queryset: QuerySet[M], *, per_page: int, name: str
) -> KeysetPage[M]:
    """The page a list page's request asks for (``params`` is ``request.GET``). A refused
    cursor shows the first page with a notice: a stale link is not the reader's fault."""
    pager = KeysetPager(queryset, per_page=per_page, name=name)
    try:
        page = pager.page(after=params.get("after", ""), before=params.get("before", ""))
    except BadCursor:
        page = pager.page()
        page.notice = "翻页链接已失效，已回到第一页。"
    rest = params.copy()
    for param in (*CURSOR_PARAMS, "page"):
        rest.pop(param, None)
    page.query = rest.urlencode()
    return page


class KeysetPagination(BasePagination):
    """The API's keyset paging: ``after``/``before`` cursors and ``limit``; the answer is
    ``{"count", "count_capped", "next", "previous", "results"}`` where ``count`` stops at
    1000 (``count_capped`` says more match). A view names its list in ``keyset_name``."""

    page_size = 50
    max_page_size = 500

    def paginate_queryset(
        self, queryset: QuerySet[Any], request: Request, view: Any = None
    ) -> list[Any]:
        name = getattr(view, "keyset_name", type(view).__name__)
        self.request = request
        pager = KeysetPager(queryset, per_page=self.get_limit(request), name=name)
        params = request.query_params
        try:
            self.page = pager.page(after=params.get("after", ""), before=params.get("before", ""))
        except BadCursor as exc:
            raise ApiValidationError({exc.param: [f"{exc}（{exc.param}）"]}) from None
        return self.page.object_list

    def get_limit(self, request: Request) -> int:
        try:
            limit = int(request.query_params.get("limit", ""))
        except ValueError:
            return self.page_size
        return min(limit, self.max_page_size) if limit > 0 else self.page_size

    def _link(self, param: str, cursor: str) -> str | None:
        url = self.request.build_absolute_uri()
        for other in CURSOR_PARAMS:
            url = remove_query_param(url, other)
        return replace_query_param(url, param, cursor)

    def get_paginated_response(self, data: Any) -> Response:
        page = self.page
        return Response(
            {
                "count": page.total.count,
                "count_capped": page.total.capped,
                "next": self._link("after", page.next_cursor) if page.has_next else None,
                "previous": (
                    self._link("before", page.previous_cursor) if page.has_previous else None
                ),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["count", "count_capped", "results"],
            "properties": {
                "count": {
                    "type": "integer",
                    "example": 123,
                    "description": f"符合条件的条数，最多数到{TOTAL_CAP}",
                },
                "count_capped": {
                    "type": "boolean",
                    "description": f"为 true 时表示超过{TOTAL_CAP}条",
                },
                "next": {**link, "description": "下一页的地址，没有下一页时为 null"},
                "previous": {**link, "description": "上一页的地址，没有上一页时为 null"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        def cursor(name: str, description: str) -> dict[str, Any]:
            return {
                "name": name,
                "required": False,
                "in": "query",
                "description": description,
                "schema": {"type": "string", "maxLength": MAX_CURSOR_LENGTH},
            }

        return [
            cursor("after", "翻页位置：取上一个应答 next 中的值（下一页）"),
            cursor("before", "翻页位置：取上一个应答 previous 中的值（上一页）"),
            {
                "name": "limit",
                "required": False,
                "in": "query",
                "description": f"每页条数，默认 {self.page_size}，最多 {self.max_page_size}",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]
