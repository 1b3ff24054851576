"""Searching, and reading the query log.

``search_query`` costs at most four queries whatever the result size: the viewer's roles
(staff only, once per request), the page of hits with the total (a window count), the
facet counts (or, for a page past the end, a plain count instead), and the log row. The
lexicon adds one or two after documents or synonyms change, once per process.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet
from django.db.models.lookups import StartsWith
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import scope_paths, scope_q
from sanyi.search import backends, lexicon
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, SearchFacet, SearchQueryLog
from sanyi.search.query import build_plan
from sanyi.search.registry import ORG_UNIT_FILTER, get_kind
from sanyi.search.services import search_query_log_create

if TYPE_CHECKING:
    from sanyi.orgs.models import User

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 50
SNIPPET_BEFORE, SNIPPET_AFTER = 30, 70
# Roles that may read what residents searched for (demand analysis).
ANALYST_ROLES = (
    Role.SYSTEM_ADMIN,
    Role.CATALOG_ADMIN,
    Role.DISCLOSURE_OFFICER,
    Role.SUPERVISOR,
)


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: str
    title: str
    url: str
    summary: str
    score: float
    # "title": the title with matched words in <mark>; "body": a short passage around the
    # first match in the body. Both are escaped HTML, safe to print as they are.
    highlights: dict[str, SafeString] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchResults:
    total: int
    hits: list[Hit]
    facet_counts: dict[str, dict[str, int]]  # facet name → value → documents, most first
    took_ms: int


def visible_documents(viewer: User) -> QuerySet[SearchDocument]:
    """The documents ``viewer`` may find: public ones for everybody; for staff also the
    non-public documents of the units where they hold any role, and of the units below
    (the rule of ``orgs.permissions``; a superuser counts as a system admin everywhere)."""
    documents = SearchDocument.objects.all()
    if viewer is None or not viewer.is_authenticated:
        return documents.filter(is_public=True)
    return documents.filter(Q(is_public=True) | scope_q(viewer, Role.values, "org_path"))


def _clean_filters(
    kinds: Sequence[str], filters: Mapping[str, Sequence[str]] | None
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The filters with values as strings, and every facet name → label of these kinds."""
    facet_labels: dict[str, str] = {}
    for kind in kinds:
        facet_labels.update(get_kind(kind).facets)
    cleaned: dict[str, list[str]] = {}
    for name, values in (filters or {}).items():
        if name != ORG_UNIT_FILTER and name not in facet_labels:
            raise ValidationError({"filters": f"未知的筛选条件：{name}"})
        if isinstance(values, str | int):
            values = [values]
        values = list(dict.fromkeys(str(v).strip() for v in values if str(v).strip()))
        if len(values) > MAX_FILTER_VALUES:
            raise ValidationError({"filters": f"筛选条件“{name}”最多选{MAX_FILTER_VALUES}个值"})
        if any(len(v) > 100 for v in values):
            raise ValidationError({"filters": f"筛选条件“{name}”的值过长"})
        if name == ORG_UNIT_FILTER and not all(v.isdigit() for v in values):
            raise ValidationError({"filters": "所属单位应为单位编号"})
        if values:
            cleaned[name] = values
    return cleaned, facet_labels


def _filtered(base: QuerySet, filters: Mapping[str, list[str]], *, browse: bool) -> QuerySet:
    """``base`` narrowed by the filters. With a text match the matches are few and each is
    checked against its facet rows (EXISTS); when browsing, the facet index itself yields
    the documents (IN), instead of checking every document of the kind."""
    for name, values in filters.items():
        if name == ORG_UNIT_FILTER:
            units = OrgUnit.objects.filter(pk__in=[int(v) for v in values]).filter(
                StartsWith(OuterRef("org_path"), F("path"))
            )
            base = base.filter(Exists(units))
            continue
        facet_rows = SearchFacet.objects.filter(name=name, value__in=values)
        if browse:
            base = base.filter(pk__in=facet_rows.values("document_id"))
        else:
            base = base.filter(Exists(facet_rows.filter(document_id=OuterRef("pk"))))
    return base


def _where(queryset: QuerySet) -> tuple[str, list]:
    """The WHERE condition the ORM builds for ``queryset``, on the bare table name."""
    query = queryset.query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return sql, list(params)


def _highlighter(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms))


def _marked(text: str, pattern: re.Pattern) -> SafeString:
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def _highlights(title: str, body: str, pattern: re.Pattern | None) -> dict[str, SafeString]:
    if pattern is None:
        return {}
    found: dict[str, SafeString] = {}
    if pattern.search(title):
        found["title"] = _marked(title, pattern)
    text = " ".join(body.split())
    m = pattern.search(text)
    if m:
        start = max(0, m.start() - SNIPPET_BEFORE)
        end = min(len(text), m.end() + SNIPPET_AFTER)
        passage = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
        found["body"] = _marked(passage, pattern)
    return found


def search_query(
    *,
    text: str,
    kinds: Sequence[str],
    filters: Mapping[str, Sequence[str]] | None = None,
    viewer: User | None = None,
    limit: int = 20,
    offset: int = 0,
    log: bool = True,
) -> SearchResults:
    """Search documents of ``kinds`` that ``viewer`` may see. Blank ``text`` browses by the
    filters alone. Within one filter any value matches; all filters must match. Every call
    is logged unless ``log`` is False (internal callers such as suggestions)."""
    started = time.perf_counter()
    text = " ".join(search_text.strip_control(text).split())
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError({"text": f"搜索内容不能超过{MAX_QUERY_LENGTH}个字"})
    kinds = list(dict.fromkeys(kinds or []))
    if not kinds:
        raise ValidationError({"kinds": "请指定搜索范围"})
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": f"每页条数应在1到{MAX_LIMIT}之间"})
    if not 0 <= offset <= MAX_OFFSET:
        raise ValidationError({"offset": f"最多翻到第{MAX_OFFSET}条"})
    filters, facet_labels = _clean_filters(kinds, filters)

    lexicon.ensure_fresh()
    plan = build_plan(text, lexicon.synonyms()) if text else None
    base = visible_documents(viewer).filter(kind__in=kinds)
    where_sql, where_params = _where(_filtered(base, filters, browse=not text))
    table = backends.DOC_TABLE
    if plan is not None and plan.node is None:
        source = None  # only fillers or punctuation were typed: nothing can match
    elif plan is not None:
        from_sql, match_sql, score_sql, match_params = backends.match_sql(plan.node)
        source = (from_sql, f"{match_sql} AND ({where_sql})", match_params + where_params)
    else:
        score_sql = "0.0"
        source = (table, where_sql, where_params)

    hits: list[Hit] = []
    total = 0
    facet_counts: dict[str, dict[str, int]] = {name: {} for name in facet_labels}
    if source is not None:
        from_sql, condition, params = source
        order = f"weight DESC, {table}.sort_date DESC NULLS LAST, {table}.id"
        sql = (
            f"SELECT {table}.kind, {table}.object_id, {table}.title, {table}.url, "  # noqa: S608
            f"{table}.summary, substr({table}.body, 1, 3000), {score_sql} AS score, "
            f"COUNT(*) OVER () AS total FROM {from_sql} WHERE {condition} "
            f"ORDER BY score DESC, {table}.{order} LIMIT %s OFFSET %s"
        )
        pattern = _highlighter(plan.highlight_terms) if plan else None
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            rows = cursor.fetchall()
            if rows:
                total = rows[0][7]
            elif offset:
                # Past the last page: the window count came back empty, count on its own.
                cursor.execute(f"SELECT COUNT(*) FROM {from_sql} WHERE {condition}", params)  # noqa: S608
                total = cursor.fetchone()[0]
        hits = [
            Hit(
                kind=kind,
                object_id=object_id,
                title=title,
                url=url,
                summary=summary,
                score=round(float(score), 6),
                highlights=_highlights(
                    title,
                    body or summary,
                    _highlighter(search_text.pinyin_matches(title, plan.pinyin))
                    if plan and plan.pinyin
                    else pattern,
                ),
            )
            for kind, object_id, title, url, summary, body, score, _ in rows
        ]
        if rows:
            facet_counts = _facet_counts(base, filters, facet_labels, plan.node if plan else None)

    took_ms = round((time.perf_counter() - started) * 1000)
    if log:
        search_query_log_create(
            text=text,
            kinds=kinds,
            filters=filters,
            result_count=total,
            took_ms=took_ms,
            is_anonymous=viewer is None or not viewer.is_authenticated,
        )
    return SearchResults(total=total, hits=hits, facet_counts=facet_counts, took_ms=took_ms)


def _facet_counts(
    base: QuerySet[Any], filters: dict[str, list[str]], facet_labels: dict[str, str], node: Any
) -> dict[str, dict[str, int]]:
    """Counts per facet value in one query. A facet that is itself filtered is counted
    without its own filter, so the other values stay visible to switch to."""
    groups: list[tuple[list[str], dict[str, list[str]]]] = []
    unfiltered = [name for name in facet_labels if name not in filters]
    if unfiltered:
        groups.append((unfiltered, filters))
    for name in facet_labels:
        if name in filters:
            groups.append(([name], {k: v for k, v in filters.items() if k != name}))
    table = backends.DOC_TABLE
    parts, params = [], []
    for names, group_filters in groups:
        where_sql, where_params = _where(_filtered(base, group_filters, browse=node is None))
        if node is not None:
            from_sql, match_sql, _, match_params = backends.match_sql(node)
            condition, cond_params = f"{match_sql} AND ({where_sql})", match_params + where_params
        else:
            from_sql, condition, cond_params = table, where_sql, where_params
        placeholders = ", ".join(["%s"] * len(names))
        parts.append(
            # CROSS JOIN: start from the matching documents and read their facet rows by
            # document id, never all facet rows of a name.
            "SELECT f.name, f.value, COUNT(*) FROM "  # noqa: S608
            f"(SELECT {table}.id AS id FROM {from_sql} WHERE {condition}) m "
            "CROSS JOIN search_searchfacet f "
            f"WHERE f.document_id = m.id AND f.name IN ({placeholders}) "
            "GROUP BY f.name, f.value"
        )
        params += [*cond_params, *names]
    counts: dict[str, dict[str, int]] = {name: {} for name in facet_labels}
    if not parts:
        return counts
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for name, value, count in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        counts[name][value] = count
    return counts


# Query log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryStat:
    text: str
    count: int  # searches in the period
    zero_result_count: int  # of which found nothing
    last_searched_at: datetime


def _require_analyst(viewer: User) -> None:
    if viewer is None or not scope_paths(viewer, ANALYST_ROLES):
        raise PermissionDenied("只有事项管理员、政务公开专员、督查人员和系统管理员可以查看搜索统计")


def _log_stats(
    logs: QuerySet[SearchQueryLog], kinds: Sequence[str] | None, limit: int
) -> list[QueryStat]:
    if kinds:
        scope = Q()
        for kind in kinds:
            scope |= Q(kinds__contains=kind)
        logs = logs.filter(scope)
    rows = (
        logs.exclude(text="")
        .values("text")
        .annotate(
            count=Count("id"),
            zero=Count("id", filter=Q(result_count=0)),
            last=Max("created_at"),
        )
        .order_by("-count", "-last", "text")[: max(1, min(limit, 500))]
    )
    return [QueryStat(r["text"], r["count"], r["zero"], r["last"]) for r in rows]


def zero_result_queries(
    *, viewer: User, since: datetime, limit: int = 50, kinds: Sequence[str] | None = None
) -> list[QueryStat]:
    """What residents searched for and did not find since ``since``, most asked first:
    the words the catalogue (or its synonyms) is missing."""
    _require_analyst(viewer)
    logs = SearchQueryLog.objects.filter(created_at__gte=since, result_count=0)
    return _log_stats(logs, kinds, limit)


def top_queries(
    *, viewer: User, since: datetime, limit: int = 50, kinds: Sequence[str] | None = None
) -> list[QueryStat]:
    """The most frequent searches since ``since``, with how often each found nothing."""
    _require_analyst(viewer)
    return _log_stats(SearchQueryLog.objects.filter(created_at__gte=since), kinds, limit)
