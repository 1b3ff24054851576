"""The SQL behind a search: one page of ranked, collapsed hits with their total, and the
facet counts. Read by ``search.selectors.search_query``; see docs/search.md for the rules.

Ranking, best first:

1. the title tier: a document whose title matches the words as typed, then one whose
   title matches the first official term of the synonym, then the second, and so on
   (``QueryPlan.tiers``); 0 when the words appear only in the body;
2. the text score (bm25 / ts_rank, titles weighted ten times the body), raised by the
   document's weight (its popularity), at most doubled:
   ``score × (1 + weight / (weight + POPULARITY_HALF))``;
3. weight, date (newest first), id.

Documents of one kind with the same collapse key are one group; the group's best
document stands for it and the page counts groups, not documents.

A very broad search (more than ``RANK_WINDOW`` matching documents, a common word among
100,000 records) does not score every match: it ranks, collapses and counts the window of
the ``RANK_WINDOW`` most popular and newest matches (``backends.WINDOW_ORDER``; only title
matches when titles are preferred and any matched), and says so (``Page.window``): the
total, the facet counts and the pages are those of the window. Up to ``RANK_WINDOW``
matches everything is ranked. See docs/search.md.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.lookups import StartsWith
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from sanyi.core.replicas import read_connection
from sanyi.orgs.models import OrgUnit
from sanyi.search import backends
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, SearchFacet
from sanyi.search.query import QueryPlan
from sanyi.search.registry import ORG_UNIT_FILTER

SNIPPET_BEFORE, SNIPPET_AFTER = 30, 70
# A search matching more documents than this ranks only this many (see the module
# docstring); a page of ten shows at most 50 pages of it.
RANK_WINDOW = 1000
# A weight of POPULARITY_HALF raises the score by half; no weight more than doubles it.
POPULARITY_HALF = 20


@dataclass(frozen=True)
class Variant:
    """One document of a collapsed group: the same thing, implemented by another unit."""

    object_id: str
    title: str
    url: str
    summary: str
    unit_name: str
    org_path: str
    unit_code: str = ""


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
    # How the title matched (see the module docstring); 0: only the body did.
    tier: int = 0
    collapse_key: str = ""
    # Every document of the group (one per implementing unit), the resident's area first;
    # empty for a document that stands alone.
    variants: tuple[Variant, ...] = ()
    # The group has several documents and the resident's area did not pick one: ask
    # "您在哪里办理？" and offer ``variants``.
    needs_area: bool = False
    # The variant chosen for the resident's area (url, title and summary are its own).
    area_unit: str = ""


@dataclass(frozen=True)
class Window:
    """The documents a search ranks: all of its match (of the title matches alone when
    ``titled``), or for a broad search the first ``size`` in ``backends.WINDOW_ORDER``."""

    plan: QueryPlan | None
    titled: bool
    size: int
    # The documents ranked, once read: every match, or when there were more than
    # ``size`` (``capped``) the first ``size`` in WINDOW_ORDER.
    ids: tuple[int, ...] = ()
    capped: bool = False
    # The search's kinds when its text match is narrowed to them in the index
    # (``backends.narrowing_kinds``); () when every match is read and its kind tested.
    kinds: tuple[str, ...] = ()

    def matches_sql(self, where: tuple[str, list]) -> tuple[str, list]:
        """A SELECT of ``backends.WINDOW_COLUMNS`` of every matching document, unordered."""
        table, columns = backends.DOC_TABLE, backends.WINDOW_COLUMNS
        where_sql, where_params = where
        if self.plan is None or self.plan.node is None:
            return f"SELECT {columns} FROM {table} WHERE {where_sql}", list(where_params)  # noqa: S608
        from_sql, match_sql, _, match_params = backends.match_sql(
            self.plan.node,
            within_titles=self.plan.tiers if self.titled else (),
            scored=False,
            ids_only=True,
            kinds=self.kinds,
        )
        return (
            f"SELECT {columns} FROM {from_sql} WHERE {match_sql} AND ({where_sql})",  # noqa: S608
            [*match_params, *where_params],
        )

    def sql(self, where: tuple[str, list]) -> tuple[str, list]:
        """A SELECT of the ids in the window: the first ``size`` matches in
        ``backends.WINDOW_ORDER``."""
        matches_sql, params = self.matches_sql(where)
        return backends.window_sql(matches_sql, params, self.size)


@dataclass
class Page:
    hits: list[Hit]
    total: int  # groups found (after leaving out body-only matches when focused)
    broader: int  # groups left out because only their body matched
    best_tier: int
    focused: bool = False
    # The documents ranked; when ``window.capped`` more matched than were ranked, and the
    # total, broader and the facet counts are those of the window.
    window: Window | None = None

    @property
    def capped(self) -> bool:
        return self.window is not None and self.window.capped


def filtered(base: QuerySet, filters: Mapping[str, list[str]], *, browse: bool) -> QuerySet:
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


def where_sql(queryset: QuerySet) -> tuple[str, list]:
    """The WHERE condition the ORM builds for ``queryset``, on the bare table name."""
    query = queryset.query
    sql, params = query.get_compiler(connection=connection).compile(query.where)
    return sql, list(params)


def _highlighter(terms: Sequence[str]) -> re.Pattern[str] | None:
    if not terms:
        return None
    return re.compile("|".join(re.escape(t) for t in terms))


def _marked(text: str, pattern: re.Pattern) -> SafeString:
    out: list[str] = []
    last = 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece above is escaped


def highlights(title: str, body: str, pattern: re.Pattern | None) -> dict[str, SafeString]:
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


def _group_sql(table: str) -> str:
    return (
        f"CASE WHEN {table}.collapse_key = '' THEN 'id:' || CAST({table}.id AS TEXT) "
        f"ELSE {table}.kind || ':' || {table}.collapse_key END"
    )


def _page_sql(
    plan: QueryPlan | None, where: tuple[str, list], *, titled: bool, window: Window
) -> tuple[str, list]:
    """The ranked, collapsed groups of the window's documents as SQL (without ORDER BY and
    LIMIT) and its params. ``titled``: the window holds the documents whose title matches
    (tier > 0), while ``all_groups`` still counts every matching group of ``where``, by a
    count without scores (not when the window is capped)."""
    table = backends.DOC_TABLE
    group = _group_sql(table)
    all_groups, count_params = "COUNT(*) OVER ()", []
    if plan is not None and plan.node is not None:
        tier_sql, tier_params = backends.tier_sql(plan.tiers, window.kinds)
        from_sql, condition, score_sql, match_params = backends.match_sql(
            plan.node, among=window.ids, kinds=window.kinds
        )
        params = [*tier_params, *match_params]
        if titled and not window.capped:
            where_sql, where_params = where
            count_from, count_match, _, count_match_params = backends.match_sql(
                plan.node, scored=False, ids_only=True, kinds=window.kinds
            )
            all_groups = (
                f"(SELECT COUNT(DISTINCT {group}) FROM {count_from} "  # noqa: S608
                f"WHERE {count_match} AND ({where_sql}))"
            )
            count_params = [*count_match_params, *where_params]
    else:
        condition, params = backends.id_in(f"{table}.id", window.ids)
        from_sql, score_sql, tier_sql = table, "0.0", "1"
    boost = f"(1.0 + {table}.weight * 1.0 / ({table}.weight + {POPULARITY_HALF}))"
    # Ids, scores and sort keys only: the texts are read for the page's rows alone.
    matched = (
        f"SELECT {table}.id, {table}.weight, {table}.sort_date, "  # noqa: S608
        f"({score_sql}) * {boost} AS score, {tier_sql} AS tier, {group} AS grp "
        f"FROM {from_sql} WHERE {condition}"
    )
    # MATERIALIZED: the tier is computed once per document. Inlined, SQLite computes it for
    # each window function that reads it, and each time reads the title matches again.
    grouped = (
        f"WITH matched AS MATERIALIZED ({matched}) "  # noqa: S608
        "SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.grp "
        "ORDER BY m.tier DESC, m.score DESC, m.id) AS rn, "
        "MAX(m.tier) OVER (PARTITION BY m.grp) AS group_tier "
        "FROM matched m"
    )
    leaders = (
        "SELECT g.*, MAX(g.group_tier) OVER () AS best_tier, "  # noqa: S608
        f"{all_groups} AS all_groups FROM ({grouped}) g WHERE g.rn = 1"
    )
    return leaders, [*count_params, *params]


def ranked_page(
    plan: QueryPlan | None,
    where: tuple[str, list],
    *,
    limit: int,
    offset: int,
    prefer_titles: bool,
    kinds: Sequence[str] = (),
) -> Page:
    """One page of groups, best first, with the totals, in one query (two for a page
    past the end). ``kinds``: the text match is narrowed to them in the index
    (``backends.narrowing_kinds``).

    With ``prefer_titles`` the page keeps the groups with a title match when there are
    any. Such a group's best document is one whose title matches (the tier comes first),
    so those documents alone are ranked, and the body-only groups are only counted (for
    ``broader``): the same page, without scoring every body match of a common word. When
    no title matches, everything is ranked as without ``prefer_titles``."""
    focus = "1 = 1"
    if prefer_titles and plan is not None:
        focus = "l.group_tier > 0 OR l.best_tier = 0"
        if plan.node is not None and plan.tiers:
            page = _fetch_page(plan, where, focus, limit, offset, titled=True, kinds=kinds)
            if page is not None:
                return page
    return _fetch_page(plan, where, focus, limit, offset, kinds=kinds) or Page([], 0, 0, 0)


def _page_order(alias: str) -> str:
    return (
        f"{alias}.group_tier DESC, {alias}.score DESC, {alias}.weight DESC, "
        f"{alias}.sort_date DESC NULLS LAST, {alias}.id"
    )


def _fetch_page(
    plan: QueryPlan | None,
    where: tuple[str, list],
    focus: str,
    limit: int,
    offset: int,
    *,
    titled: bool = False,
    kinds: Sequence[str] = (),
) -> Page | None:
    """The page, or None when nothing matched (``titled``: no title matched). Reads the
    ids of the window first, in one statement: the first ``RANK_WINDOW`` + 1 matches in
    ``backends.WINDOW_ORDER``. Up to ``RANK_WINDOW`` that is every match; one more means
    the search is capped and the first ``RANK_WINDOW`` alone are ranked."""
    window = Window(plan, titled, RANK_WINDOW, kinds=tuple(kinds))
    with read_connection(SearchDocument).cursor() as cursor:
        cursor.execute(*dataclasses.replace(window, size=RANK_WINDOW + 1).sql(where))
        ids = [row[0] for row in cursor.fetchall()]
        if not ids:
            return None
        capped = len(ids) > RANK_WINDOW
        window = dataclasses.replace(window, ids=tuple(ids[:RANK_WINDOW]), capped=capped)
        leaders, params = _page_sql(plan, where, titled=titled, window=window)
        sql = (
            "SELECT d.kind, d.object_id, d.title, d.url, d.summary, "  # noqa: S608
            "substr(d.body, 1, 3000), p.score, p.group_tier, d.collapse_key, p.best_tier, "
            "p.all_groups, p.total FROM ("
            "SELECT f.id, f.score, f.group_tier, f.best_tier, f.all_groups, f.weight, "
            "f.sort_date, COUNT(*) OVER () AS total "
            f"FROM (SELECT l.* FROM ({leaders}) l WHERE {focus}) f "
            f"ORDER BY {_page_order('f')} LIMIT %s OFFSET %s) p "
            f"CROSS JOIN {backends.DOC_TABLE} d WHERE d.id = p.id ORDER BY {_page_order('p')}"
        )
        cursor.execute(sql, [*params, limit, offset])
        rows = cursor.fetchall()
        if not rows:
            # Past the last page: the window counts came back empty, count on their own.
            cursor.execute(
                "SELECT COUNT(*), MAX(l.best_tier), MAX(l.all_groups) "  # noqa: S608
                f"FROM ({leaders}) l WHERE {focus}",
                params,
            )
            total, best_tier, all_groups = cursor.fetchone()
            if not total:
                return None
            return Page([], total, (all_groups or 0) - total, best_tier or 0, window=window)
    best_tier, all_groups, total = rows[0][9], rows[0][10], rows[0][11]
    return Page(
        _hits(plan, rows),
        total,
        all_groups - total,
        int(best_tier),
        focused=all_groups > total,
        window=window,
    )


def _hits(plan: QueryPlan | None, rows: Sequence[Sequence[Any]]) -> list[Hit]:
    pattern = _highlighter(plan.highlight_terms) if plan else None
    hits = []
    for kind, object_id, title, url, summary, body, score, tier, key, _, _, _ in rows:
        if plan and plan.pinyin:
            marks = _highlighter(search_text.pinyin_matches(title, plan.pinyin))
        else:
            marks = pattern
        hits.append(
            Hit(
                kind=kind,
                object_id=object_id,
                title=title,
                url=url,
                summary=summary,
                score=round(float(score), 6),
                highlights=highlights(title, body or summary, marks),
                tier=int(tier),
                collapse_key=key,
            )
        )
    return hits


def facet_counts(
    base: QuerySet[Any],
    filters: dict[str, list[str]],
    facet_labels: dict[str, str],
    node: Any,
    *,
    title_only: bool = False,
    window: Window | None = None,
) -> dict[str, dict[str, int]]:
    """Counts per facet value in one query. A facet that is itself filtered is counted
    without its own filter, so the other values stay visible to switch to. Documents are
    counted, not collapsed groups; ``title_only`` counts title matches alone (when the
    page left body-only matches out); ``window``: the documents of the broad search's
    window alone (each count taken with its own filters, as above). A text match is
    narrowed to the kinds the window's was (``Window.kinds``)."""
    groups: list[tuple[list[str], dict[str, list[str]]]] = []
    unfiltered = [name for name in facet_labels if name not in filters]
    if unfiltered:
        groups.append((unfiltered, filters))
    for name in facet_labels:
        if name in filters:
            groups.append(([name], {k: v for k, v in filters.items() if k != name}))
    parts, params = [], []
    for names, group_filters in groups:
        where = where_sql(filtered(base, group_filters, browse=node is None))
        own = group_filters == filters
        part, part_params = _facet_part(names, node, where, title_only, window, own=own)
        parts.append(part)
        params += part_params
    counts: dict[str, dict[str, int]] = {name: {} for name in facet_labels}
    if not parts:
        return counts
    with read_connection(SearchDocument).cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), params)
        rows = cursor.fetchall()
    for name, value, count in sorted(rows, key=lambda r: (r[0], -r[2], r[1])):
        counts[name][value] = count
    return counts


def _facet_part(
    names: list[str],
    node: Any,
    where: tuple[str, list],
    title_only: bool,
    window: Window | None,
    *,
    own: bool,
) -> tuple[str, list]:
    """The counts of ``names`` over the documents counted: the page's own window (``own``:
    the same filters) when it holds them, the window of these filters when the search is
    capped, else every match of ``where``. A titled window holds the documents whose title
    matches a tier, which are those whose title matches the words (``title_only``: the
    plan's tiers are its alternatives); without ``title_only`` every match is counted."""
    table = backends.DOC_TABLE
    if window is not None and own and (window.capped or not window.titled or title_only):
        return backends.facet_counts_sql(window.ids, names)
    condition_sql, where_params = where
    if window is not None and window.capped:
        matching, matching_params = window.sql(where)
    elif node is None:
        matching = f"SELECT {table}.id AS id FROM {table} WHERE {condition_sql}"  # noqa: S608
        matching_params = list(where_params)
    else:
        from_sql, match_sql, _, match_params = backends.match_sql(
            node,
            title_only=title_only,
            scored=False,
            ids_only=True,
            kinds=window.kinds if window else (),
        )
        matching = (
            f"SELECT {table}.id AS id FROM {from_sql} WHERE {match_sql} AND ({condition_sql})"  # noqa: S608
        )
        matching_params = [*match_params, *where_params]
    return backends.facet_counts_of_sql(
        matching, matching_params, names, windowed=window is not None and window.capped
    )
