"""Searching, and reading the query log.

``search_query`` costs at most seven queries whatever the result size: the viewer's roles
(staff only, once per request), the ids of the window (the matches, up to
``ranking.RANK_WINDOW`` of them in the window's order; of the title matches first when
titles are preferred: when none matched, of all matches again), the page of hits with the
totals (window counts), the documents of the collapsed groups on the page (only when there
are any), the facet counts (only of the facets asked for, none when none is; for a page
past the end a plain count instead), and the log row. The lexicon adds one or two after
documents or synonyms change, once per process, and now and then a count of the documents
per kind (``backends.documents_per_kind``). How results are ranked and collapsed:
``search.ranking`` and ``search.collapse``.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Max, Q, QuerySet

from sanyi.core.replicas import blind_writes, read_connection
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths, scope_q
from sanyi.search import backends, collapse, lexicon, ranking
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, SearchQueryLog, Synonym
from sanyi.search.query import QueryPlan, build_plan
from sanyi.search.ranking import Hit, Variant
from sanyi.search.registry import ORG_UNIT_FILTER, get_kind
from sanyi.search.services import search_query_log_create

if TYPE_CHECKING:
    from sanyi.orgs.models import User

__all__ = [
    "POOR_RESULT_RULE",
    "Hit",
    "QueryStat",
    "SearchResults",
    "Variant",
    "can_edit_synonyms",
    "poor_result_queries",
    "search_counts",
    "search_query",
    "synonym_list",
    "top_queries",
    "visible_documents",
    "zero_result_queries",
]

MAX_QUERY_LENGTH = 100
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_FILTER_VALUES = 50
# Roles that edit the synonym table.
EDITOR_ROLES = (Role.SYSTEM_ADMIN, Role.CATALOG_ADMIN)
# Roles that may read what residents searched for (demand analysis).
ANALYST_ROLES = (
    Role.SYSTEM_ADMIN,
    Role.CATALOG_ADMIN,
    Role.DISCLOSURE_OFFICER,
    Role.SUPERVISOR,
)
# When a search counts as poor (logged with is_poor, listed next to the searches that found
# nothing): it found something, but no result's title matched the words typed or any
# official term of their synonyms: the best result only mentions the words in its text.
POOR_RESULT_RULE = "有结果，但没有一个结果的名称与搜索词（或其同义词）对得上，只是正文中提到"


@dataclass(frozen=True)
class SearchResults:
    total: int  # results (a collapsed group counts once)
    hits: list[Hit]
    facet_counts: dict[str, dict[str, int]]  # facet name → value → documents, most first
    took_ms: int
    # Results left out because only their body mentions the words (prefer_titles).
    broader: int = 0
    # Something was found, but no title matched (see POOR_RESULT_RULE).
    is_poor: bool = False
    # More documents matched than are ranked (ranking.RANK_WINDOW): total, broader and the
    # facet counts are those of the most popular and newest matches that were ranked.
    capped: bool = False


def visible_documents(viewer: User | None) -> QuerySet[SearchDocument]:
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


def _counted(facet_labels: dict[str, str], facets: Sequence[str] | None) -> dict[str, str]:
    """The facets to count: all of the kinds' (None) or those named."""
    if facets is None:
        return facet_labels
    unknown = set(facets) - set(facet_labels)
    if unknown:
        raise ValidationError({"facets": f"未知的分类：{'、'.join(sorted(unknown))}"})
    return {name: label for name, label in facet_labels.items() if name in facets}


def _check_arguments(text: str, kinds: Sequence[str], limit: int, offset: int) -> None:
    if len(text) > MAX_QUERY_LENGTH:
        raise ValidationError({"text": f"搜索内容不能超过{MAX_QUERY_LENGTH}个字"})
    if not kinds:
        raise ValidationError({"kinds": "请指定搜索范围"})
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationError({"limit": f"每页条数应在1到{MAX_LIMIT}之间"})
    if not 0 <= offset <= MAX_OFFSET:
        raise ValidationError({"offset": f"最多翻到第{MAX_OFFSET}条"})


def _log_search(
    text: str,
    kinds: list[str],
    filters: Mapping[str, Sequence[str]],
    page: ranking.Page,
    viewer: User | None,
    *,
    offset: int,
    took_ms: int,
    is_poor: bool,
) -> None:
    """One row in the query log: what was asked, how many found, and the first result
    (only for the first page, so paging on does not count as another first result)."""
    first = page.hits[0] if page.hits and not offset else None
    # The person searching never reads the log, so it does not keep their reads on the
    # primary (docs/adr/0030-read-replicas.md).
    with blind_writes():
        search_query_log_create(
            text=text,
            kinds=kinds,
            filters=filters,
            result_count=page.total,
            took_ms=took_ms,
            is_anonymous=viewer is None or not viewer.is_authenticated,
            is_poor=is_poor,
            top_result=f"{first.kind}:{first.object_id}" if first else "",
        )


def _ranked(
    plan: QueryPlan | None,
    base: QuerySet[SearchDocument],
    filters: dict[str, list[str]],
    facet_labels: dict[str, str],
    *,
    limit: int,
    offset: int,
    prefer_titles: bool,
    area_paths: Sequence[str],
    kinds: Sequence[str],
) -> tuple[ranking.Page, dict[str, dict[str, int]]]:
    """The page of ``search_query`` with its groups resolved, and the facet counts;
    ``kinds``: those the text match is narrowed to in the index, if any."""
    facet_counts: dict[str, dict[str, int]] = {name: {} for name in facet_labels}
    if plan is not None and plan.node is None:  # only fillers or punctuation typed
        return ranking.Page(hits=[], total=0, broader=0, best_tier=0), facet_counts
    where = ranking.where_sql(ranking.filtered(base, filters, browse=plan is None))
    page = ranking.ranked_page(
        plan, where, limit=limit, offset=offset, prefer_titles=prefer_titles, kinds=kinds
    )
    page.hits[:] = collapse.resolve(page.hits, base, area_paths)  # no query when empty
    if page.hits and facet_labels:
        facet_counts = ranking.facet_counts(
            base,
            filters,
            facet_labels,
            plan.node if plan else None,
            title_only=page.focused,
            window=page.window,
        )
    return page, facet_counts


def search_query(
    *,
    text: str,
    kinds: Sequence[str],
    filters: Mapping[str, Sequence[str]] | None = None,
    viewer: User | None = None,
    limit: int = 20,
    offset: int = 0,
    log: bool = True,
    area_paths: Sequence[str] = (),
    prefer_titles: bool = False,
    facets: Sequence[str] | None = None,
) -> SearchResults:
    """Search documents of ``kinds`` that ``viewer`` may see; blank ``text`` browses by the
    filters (any value within one filter, all filters). Documents sharing a collapse key
    are one result that opens the document of ``area_paths`` (org paths, the resident's
    unit first) when they tell it apart. ``prefer_titles``: when a title matches, leave out
    body-only matches (counted in ``broader``). ``facets``: those to count (None: all; a
    join over every match). Logged unless ``log`` is False."""
    started = time.perf_counter()
    text = " ".join(search_text.strip_control(text).split())
    kinds = list(dict.fromkeys(kinds or []))
    _check_arguments(text, kinds, limit, offset)
    filters, facet_labels = _clean_filters(kinds, filters)
    facet_labels = _counted(facet_labels, facets)

    lexicon.ensure_fresh()
    plan = build_plan(text, lexicon.synonyms()) if text else None
    base = visible_documents(viewer).filter(kind__in=kinds)
    with backends.matches_from_the_index(read_connection(SearchDocument), text=plan is not None):
        page, facet_counts = _ranked(
            plan,
            base,
            filters,
            facet_labels,
            limit=limit,
            offset=offset,
            prefer_titles=prefer_titles,
            area_paths=area_paths,
            kinds=backends.narrowing_kinds(kinds) if plan is not None else (),
        )

    took_ms = round((time.perf_counter() - started) * 1000)
    is_poor = bool(plan is not None and page.total and page.best_tier == 0)
    if log:
        _log_search(
            text, kinds, filters, page, viewer, offset=offset, took_ms=took_ms, is_poor=is_poor
        )
    return SearchResults(
        total=page.total,
        hits=page.hits,
        facet_counts=facet_counts,
        took_ms=took_ms,
        broader=page.broader,
        is_poor=is_poor,
        capped=page.capped,
    )


# Query log --------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueryStat:
    text: str
    count: int  # searches in the period
    zero_result_count: int  # of which found nothing
    last_searched_at: datetime
    poor_result_count: int = 0  # of which found something, but nothing by its name


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
            poor=Count("id", filter=Q(is_poor=True)),
            last=Max("created_at"),
        )
        .order_by("-count", "-last", "text")[: max(1, min(limit, 500))]
    )
    return [
        QueryStat(r["text"], r["count"], r["zero"], r["last"], poor_result_count=r["poor"])
        for r in rows
    ]


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


def poor_result_queries(
    *, viewer: User, since: datetime, limit: int = 50, kinds: Sequence[str] | None = None
) -> list[QueryStat]:
    """The searches since ``since`` that found nothing or only poor results
    (``POOR_RESULT_RULE``), most asked first, with both counts and when last seen: what
    a new synonym (or a missing item) would fix."""
    _require_analyst(viewer)
    logs = SearchQueryLog.objects.filter(created_at__gte=since).filter(
        Q(result_count=0) | Q(is_poor=True)
    )
    return _log_stats(logs, kinds, limit)


def search_counts(*, kind: str, since: datetime) -> dict[str, int]:
    """How many searches since ``since`` led to each document of ``kind`` (it was the
    first result), by object id: for the owning app's popularity weight. Not filtered by
    viewer: only counts leave, no search text."""
    prefix = f"{kind}:"
    rows = (
        SearchQueryLog.objects.filter(created_at__gte=since, top_result__startswith=prefix)
        .values("top_result")
        .annotate(n=Count("id"))
        .values_list("top_result", "n")
    )
    return {top[len(prefix) :]: n for top, n in rows}


# Synonyms ---------------------------------------------------------------------------------


def can_edit_synonyms(viewer: User | None) -> bool:
    """Catalogue admins and system admins (anywhere) maintain the synonym table."""
    return viewer is not None and bool(scope_paths(viewer, EDITOR_ROLES))


def can_read_search_log(viewer: User | None) -> bool:
    return viewer is not None and bool(scope_paths(viewer, ANALYST_ROLES))


def synonym_list(*, viewer: User, text: str = "", active: bool | None = None) -> QuerySet[Synonym]:
    """The synonym table for its editors, by term; ``text`` finds it in the term or an
    official term, ``active`` keeps the active (or the deactivated) ones."""
    if not can_edit_synonyms(viewer):
        raise PermissionDenied("只有事项管理员和系统管理员可以维护同义词")
    rows = Synonym.objects.order_by("term")
    text = " ".join((text or "").split())[:30]
    if text:
        # Expansions are JSON, stored escaped on SQLite: looked through here, not in SQL
        # (the table holds hundreds of rows, not millions).
        expansions = Synonym.objects.values_list("pk", "expansions")
        in_expansions = [pk for pk, terms in expansions if any(text in t for t in terms)]
        rows = rows.filter(Q(term__contains=text) | Q(pk__in=in_expansions))
    if active is not None:
        rows = rows.filter(is_active=active)
    return rows


def synonym_terms(*, texts: Sequence[str]) -> dict[str, int]:
    """Term → synonym id for the given texts that already have a synonym row."""
    return dict(Synonym.objects.filter(term__in=list(texts)).values_list("term", "pk"))
