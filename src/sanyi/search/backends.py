"""The two full-text engines behind one small interface.

SQLite: the FTS5 table ``search_fts(title_tokens, tokens)`` whose rowid is the document id,
written here next to every document write (no triggers: one place writes documents).
PostgreSQL: ``search_vector``, a stored generated column over the same two token columns
with a GIN index; PostgreSQL keeps it current by itself, so writes need nothing here.

SQL here and in the selectors is assembled from constant table names and ORM-compiled
conditions; every value travels as a query parameter (hence the S608 waivers).

Ranking: title tokens weigh ten times body tokens (bm25 column weights on SQLite, the A/D
weights of ts_rank on PostgreSQL), so a title match comes before a body-only match.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from sanyi.search import query as search_query_syntax

DOC_TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# ts_rank weights for D, C, B, A; title tokens are A, all tokens are D.
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# SQLite's score of a match, higher is better (bm25 is lower for better matches).
_BM25 = f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT})"
# The order in which a very broad search picks the documents it ranks (see
# ``ranking.RANK_WINDOW``): the most popular first, then the newest. Plain columns: no text
# is scored to pick them.
WINDOW_ORDER = "weight DESC, sort_date DESC NULLS LAST, id DESC"
WINDOW_COLUMNS = f"{DOC_TABLE}.id, {DOC_TABLE}.weight, {DOC_TABLE}.sort_date"
# SQLite: the covering index (migration 0007) through which the window's reads and the count
# of matching groups look up the matches by id: every column they read, none of the texts.
WINDOW_INDEX = "search_doc_window"


def vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"search supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def fts_replace(rows: Iterable[tuple[int, str, str]]) -> None:
    """Write (document id, title tokens, tokens) into the SQLite FTS table."""
    if vendor() != "sqlite":
        return
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title_tokens, tokens) VALUES (%s, %s, %s)",  # noqa: S608
            rows,
        )


def fts_delete(ids: Sequence[int]) -> None:
    if vendor() != "sqlite" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(i,) for i in ids])  # noqa: S608


def fts_delete_kind(kind: str) -> None:
    if vendor() != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {FTS_TABLE} WHERE rowid IN (SELECT id FROM {DOC_TABLE} WHERE kind = %s)",  # noqa: S608
            [kind],
        )


@contextmanager
def matches_from_the_index(db: BaseDatabaseWrapper, *, text: bool) -> Iterator[None]:
    """Around the statements of one search on ``db``; ``text``: they match words.

    On PostgreSQL a common word matches a large share of the documents, and the planner
    then prefers reading the whole table to the GIN index: its costs do not count that
    testing a row means unpacking its search vector (kilobytes, stored apart), which made
    such a search several times slower than reading the matches from the index. Within the
    search's own transaction it is told not to (``SET LOCAL``: nothing else is affected;
    inside a caller's transaction the setting is put back at the end)."""
    if db.vendor != "postgresql" or not text:
        yield
        return
    nested = db.in_atomic_block
    with transaction.atomic(using=db.alias, savepoint=False):
        with db.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if nested:
            with db.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")


def _match_text(node: search_query_syntax.Node, *, title_only: bool) -> str:
    if vendor() == "sqlite":
        return search_query_syntax.to_fts5(node, "title_tokens" if title_only else "")
    return search_query_syntax.to_tsquery(node, "A" if title_only else "")


def tier_sql(tiers: Sequence[search_query_syntax.Node]) -> tuple[str, list]:
    """(expression, params): for each document of a text match, how good its title match
    is: len(tiers) when its title matches the first tier, 1 for the last, 0 when the words
    are only in its body. Each tier is matched once per query, not per document."""
    if not tiers:
        return "0", []
    cases, params = [], []
    for position, tier in enumerate(tiers):
        if vendor() == "sqlite":
            test = (
                f"{DOC_TABLE}.id IN (SELECT rowid FROM {FTS_TABLE} "  # noqa: S608
                f"WHERE {FTS_TABLE} MATCH %s)"
            )
        else:
            test = f"{DOC_TABLE}.search_vector @@ to_tsquery('simple', %s)"
        cases.append(f"WHEN {test} THEN {len(tiers) - position}")
        params.append(_match_text(tier, title_only=True))
    return f"CASE {' '.join(cases)} ELSE 0 END", params


def _any_title(tiers: Sequence[search_query_syntax.Node]) -> str:
    node = tiers[0] if len(tiers) == 1 else search_query_syntax.Any(tuple(tiers))
    return _match_text(node, title_only=True)


def match_sql(
    node: search_query_syntax.Node,
    *,
    title_only: bool = False,
    within_titles: Sequence[search_query_syntax.Node] = (),
    scored: bool = True,
    among: Sequence[int] | None = None,
    ids_only: bool = False,
) -> tuple[str, str, str, list]:
    """(FROM clause, WHERE condition, score expression, params) for a text match;
    ``title_only`` matches the title tokens alone; ``within_titles`` keeps the documents
    whose title matches one of these (the title tiers), read from the index too, without
    changing the score of those kept. ``scored=False``: no score is needed (counts, ids;
    the expression is 0). ``among``: the ids of documents that match (a broad search's
    window): only those are read and scored. ``ids_only``: the statement reads no column
    of the documents but those of ``WINDOW_INDEX`` (ids, filters, the window's order, the
    collapse key).

    The document table keeps its own name as alias, so filters compiled by the ORM for
    SearchDocument can be and-ed to the WHERE condition as they are.
    """
    if among is not None:
        return _match_among(node, among)
    params = [_match_text(node, title_only=title_only)]
    if within_titles:
        params.append(_any_title(within_titles))
    if vendor() == "sqlite":
        # bm25() only works in the query that runs the MATCH; the outer query adds a window
        # count, so the match and its score are computed apart first. CROSS JOIN keeps
        # SQLite from starting at the documents (by kind) and probing the index per row:
        # the matches come first, then each document is fetched by its id. The title
        # restriction is a second MATCH of its own (bm25 scores the first one only), read
        # once and tested per match: "+rowid" keeps SQLite from running the first MATCH
        # again for each of its rowids.
        within = (
            f" AND +rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"  # noqa: S608
            if within_titles
            else ""
        )
        score = f", {_BM25} AS fts_score" if scored else ""
        indexed = f" INDEXED BY {WINDOW_INDEX}" if ids_only else ""
        return (
            f"(SELECT rowid AS doc_id{score} "  # noqa: S608
            f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s{within}) AS fts_match "
            f"CROSS JOIN {DOC_TABLE}{indexed}",
            f"{DOC_TABLE}.id = fts_match.doc_id",
            "fts_match.fts_score" if scored else "0",
            params,
        )
    # Both conditions on the GIN index: PostgreSQL ANDs the two bitmaps.
    within = f" AND {DOC_TABLE}.search_vector @@ to_tsquery('simple', %s)" if within_titles else ""
    return (
        f"{DOC_TABLE}, to_tsquery('simple', %s) AS search_q",
        f"{DOC_TABLE}.search_vector @@ search_q{within}",
        f"ts_rank('{PG_RANK_WEIGHTS}', {DOC_TABLE}.search_vector, search_q)" if scored else "0",
        params,
    )


def window_sql(matches_sql: str, params: list, size: int) -> tuple[str, list]:
    """(SELECT id, params): the first ``size`` of ``matches_sql`` (a SELECT of
    ``WINDOW_COLUMNS``) in ``WINDOW_ORDER``. PostgreSQL reads the matches first
    (MATERIALIZED): given the ORDER BY and LIMIT alone, it may walk an index in that order
    and test each row's search vector against the words, which for a common word is most
    of the table."""
    materialized = " MATERIALIZED" if vendor() == "postgresql" else ""
    return (
        f"WITH matches AS{materialized} ({matches_sql}) "  # noqa: S608
        f"SELECT id FROM matches ORDER BY {WINDOW_ORDER} LIMIT %s",
        [*params, size],
    )


def id_in(column: str, ids: Sequence[int]) -> tuple[str, list]:
    """(condition, params): ``column`` is one of ``ids``, passed as one parameter."""
    if vendor() == "sqlite":
        return f"{column} IN (SELECT value FROM json_each(%s))", [json.dumps(list(ids))]  # noqa: S608
    return f"{column} = ANY(%s)", [list(ids)]


def facet_counts_sql(ids: Sequence[int], names: Sequence[str]) -> tuple[str, list]:
    """(SELECT name, value, COUNT(*) … GROUP BY, params): the facet rows of ``names`` of the
    documents ``ids``, read by document id. On SQLite the ids come first (json_each) and
    each is looked up; given a choice it would read every row of the name instead."""
    names_sql = ", ".join(["%s"] * len(names))
    if vendor() == "sqlite":
        return (
            "SELECT f.name, f.value, COUNT(*) FROM json_each(%s) AS wanted "  # noqa: S608
            "CROSS JOIN search_searchfacet f "
            f"WHERE f.document_id = wanted.value AND f.name IN ({names_sql}) "
            "GROUP BY f.name, f.value",
            [json.dumps(list(ids)), *names],
        )
    return (
        "SELECT f.name, f.value, COUNT(*) FROM search_searchfacet f "  # noqa: S608
        f"WHERE f.document_id = ANY(%s) AND f.name IN ({names_sql}) GROUP BY f.name, f.value",
        [list(ids), *names],
    )


def _match_among(node: search_query_syntax.Node, ids: Sequence[int]) -> tuple[str, str, str, list]:
    """``match_sql`` for the documents ``ids`` alone (they match): they are read by id and
    scored, the rest of the match is never touched (PostgreSQL) or only passed over in the
    index (SQLite, where bm25 needs the MATCH in the query that scores)."""
    text = _match_text(node, title_only=False)
    if vendor() == "sqlite":
        among, params = id_in("+rowid", ids)
        return (
            f"(SELECT rowid AS doc_id, {_BM25} AS fts_score FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s AND {among}) AS fts_match CROSS JOIN {DOC_TABLE}",
            f"{DOC_TABLE}.id = fts_match.doc_id",
            "fts_match.fts_score",
            [text, *params],
        )
    among, params = id_in(f"{DOC_TABLE}.id", ids)
    return (
        f"{DOC_TABLE}, to_tsquery('simple', %s) AS search_q",
        among,
        f"ts_rank('{PG_RANK_WEIGHTS}', {DOC_TABLE}.search_vector, search_q)",
        [text, *params],
    )
