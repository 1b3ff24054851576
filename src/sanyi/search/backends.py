"""The two full-text engines behind one small interface.

SQLite: the FTS5 table ``search_fts(title_tokens, tokens, kind_tokens)`` whose rowid is the
document id, written here next to every document write (no triggers: one place writes
documents). ``kind_tokens`` holds one token naming the document's kind (``kind_token``), so
that a search of a few kinds among many documents (the catalogue's items beside 100,000
publications) reads the matches of its own kinds from the index alone (``narrowing_kinds``).
PostgreSQL: ``search_vector``, a stored generated column over the same two token columns
and the kind (``KIND_LEXEME``), and ``title_vector`` over the title tokens alone, each with
a GIN index; PostgreSQL keeps them current by itself, so writes need nothing here.

SQL here and in the selectors is assembled from constant table names and ORM-compiled
conditions; every value travels as a query parameter (hence the S608 waivers).

Ranking: title tokens weigh ten times body tokens (bm25 column weights on SQLite, the A/D
weights of ts_rank on PostgreSQL), so a title match comes before a body-only match.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count

from sanyi.search import query as search_query_syntax
from sanyi.search.models import SearchDocument

DOC_TABLE = "search_searchdocument"
FTS_TABLE = "search_fts"
# The FTS columns a search's words are matched in: never the kind column, where a prefix
# such as "k*" would match every document.
TEXT_COLUMNS = "{title_tokens tokens}"
KIND_COLUMN = "kind_tokens"
# PostgreSQL: the search vector holds the document's kind as the lexeme "§" + kind (migration
# 0008). "§" separates words for the text parser, so no word a resident types, and no
# prefix of one, ever matches it.
KIND_LEXEME = "§"
# PostgreSQL: the title tokens alone, a generated column with a GIN index of its own
# (migration 0008). Matching titles in ``search_vector`` (weight A) cannot be decided in its
# index: every document with the words anywhere had its vector unpacked and checked.
TITLE_VECTOR = "title_vector"
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
# ts_rank weights for D, C, B, A; title tokens are A, all tokens are D.
PG_RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
# SQLite's score of a match, higher is better (bm25 is lower for better matches).
_BM25 = f"-bm25({FTS_TABLE}, {TITLE_WEIGHT}, {BODY_WEIGHT}, 0.0)"
# The order in which a very broad search picks the documents it ranks (see
# ``ranking.RANK_WINDOW``): the most popular first, then the newest. Plain columns: no text
# is scored to pick them.
WINDOW_ORDER = "weight DESC, sort_date DESC NULLS LAST, id DESC"
WINDOW_COLUMNS = f"{DOC_TABLE}.id, {DOC_TABLE}.weight, {DOC_TABLE}.sort_date"
# SQLite: the covering index (migration 0007) through which the window's reads and the count
# of matching groups look up the matches by id: every column they read, none of the texts.
WINDOW_INDEX = "search_doc_window"
# A search narrows its text match to its kinds (``narrowing_kinds``) when they hold less
# than this share of the documents: then most matches of a common word are of other kinds,
# and testing each match's kind row by row costs more than the index's own AND. For kinds
# holding most documents the AND costs more than it saves.
NARROW_BELOW_SHARE = 0.5
# How long a process trusts its count of documents per kind: at most KIND_COUNTS_SECONDS,
# and once documents changed (``lexicon.ensure_fresh``), KIND_COUNTS_CHANGED_SECONDS. The
# count only picks the cheaper of two equivalent statements, so an old one costs time,
# never a wrong result; reading it costs 10-20 ms at 100,000 documents.
KIND_COUNTS_SECONDS = 300
KIND_COUNTS_CHANGED_SECONDS = 30


def vendor() -> str:
    if connection.vendor not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"search supports SQLite and PostgreSQL, not {connection.vendor}")
    return connection.vendor


def kind_token(kind: str) -> str:
    """The one index token naming ``kind`` (``catalog.item`` → ``kcatalogx2eitem``):
    letters and digits as they are, anything else (and x) as x and its hex code, so the
    tokenizer keeps it whole and no two kinds share a token."""
    return "k" + "".join(
        c if c.isascii() and c.isalnum() and c != "x" else f"x{ord(c):02x}" for c in kind.lower()
    )


def kinds_tsquery(kinds: Sequence[str]) -> str:
    """PostgreSQL: a tsquery (as text) matching the documents of ``kinds`` by their kind
    lexeme (``KIND_LEXEME``)."""
    return " | ".join(f"'{KIND_LEXEME}{kind}'" for kind in kinds)


def fts_replace(rows: Iterable[tuple[int, str, str, str]]) -> None:
    """Write (document id, title tokens, tokens, kind) into the SQLite FTS table."""
    if vendor() != "sqlite":
        return
    rows = [(pk, title, tokens, kind_token(kind)) for pk, title, tokens, kind in rows]
    if not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])  # noqa: S608
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, title_tokens, tokens, {KIND_COLUMN}) "  # noqa: S608
            "VALUES (%s, %s, %s, %s)",
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


class _KindCounts:
    """This process's count of documents per kind, read at most every KIND_COUNTS_SECONDS."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.read_at: float | None = None
        self.lock = threading.Lock()


_kind_counts = _KindCounts()


def forget_kind_counts() -> None:
    """Read the counts again at the next search (tests, after the database was emptied)."""
    with _kind_counts.lock:
        _kind_counts.read_at = None


def documents_per_kind(max_age: float = KIND_COUNTS_SECONDS) -> dict[str, int]:
    """The count of documents per kind, as this process last read it (read again when older
    than ``max_age`` seconds). ``lexicon.ensure_fresh`` calls it when it reloads, so a
    search itself seldom pays for the read."""
    state = _kind_counts
    with state.lock:
        now = time.monotonic()
        if state.read_at is None or now - state.read_at >= max_age:
            rows = SearchDocument.objects.order_by().values_list("kind").annotate(n=Count("id"))
            state.counts = dict(rows)
            state.read_at = now
        return state.counts


def narrowing_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """The kinds to narrow a search's text match to in the index itself, or () to match
    every document and test each match's kind in its row: ``kinds`` when they hold less than
    NARROW_BELOW_SHARE of the documents. Either way the same documents are found."""
    if not kinds:
        return ()
    counts = documents_per_kind()
    total = sum(counts.values())
    if not total or sum(counts.get(k, 0) for k in kinds) >= NARROW_BELOW_SHARE * total:
        return ()
    return tuple(kinds)


def _match_text(
    node: search_query_syntax.Node, *, title_only: bool, kinds: Sequence[str] = ()
) -> str:
    """The MATCH / to_tsquery text of ``node``; ``kinds`` (SQLite): of these kinds only."""
    if vendor() == "sqlite":
        text = search_query_syntax.to_fts5(node, "title_tokens" if title_only else TEXT_COLUMNS)
        if kinds:
            wanted = " OR ".join(kind_token(kind) for kind in kinds)
            text = f"{text} AND {KIND_COLUMN} : ({wanted})"
        return text
    # PostgreSQL: titles have a vector of their own (``TITLE_VECTOR``), so the text is the
    # same for both and says no weight: a weight is checked in the row, not in the index.
    return search_query_syntax.to_tsquery(node)


def tier_sql(
    tiers: Sequence[search_query_syntax.Node], kinds: Sequence[str] = ()
) -> tuple[str, list]:
    """(expression, params): for each document of a text match, how good its title match
    is: len(tiers) when its title matches the first tier, 1 for the last, 0 when the words
    are only in its body. Each tier is matched once per query, not per document (of
    ``kinds`` only, when given: ``narrowing_kinds``)."""
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
            test = f"{DOC_TABLE}.{TITLE_VECTOR} @@ to_tsquery('simple', %s)"
        cases.append(f"WHEN {test} THEN {len(tiers) - position}")
        params.append(_match_text(tier, title_only=True, kinds=kinds))
    return f"CASE {' '.join(cases)} ELSE 0 END", params


def _any_title(tiers: Sequence[search_query_syntax.Node], kinds: Sequence[str]) -> str:
    node = tiers[0] if len(tiers) == 1 else search_query_syntax.Any(tuple(tiers))
    return _match_text(node, title_only=True, kinds=kinds)


def match_sql(
    node: search_query_syntax.Node,
    *,
    title_only: bool = False,
    within_titles: Sequence[search_query_syntax.Node] = (),
    scored: bool = True,
    among: Sequence[int] | None = None,
    ids_only: bool = False,
    kinds: Sequence[str] = (),
) -> tuple[str, str, str, list]:
    """(FROM clause, WHERE condition, score expression, params) for a text match;
    ``title_only`` matches the title tokens alone; ``within_titles`` keeps the documents
    whose title matches one of these (the title tiers), read from the index too, without
    changing the score of those kept. ``scored=False``: no score is needed (counts, ids;
    the expression is 0). ``among``: the ids of documents that match (a broad search's
    window): only those are read and scored. ``ids_only``: the statement reads no column
    of the documents but those of ``WINDOW_INDEX`` (ids, filters, the window's order, the
    collapse key). ``kinds``: the documents of these kinds alone are read from the index
    (``narrowing_kinds``); the caller's conditions still test every document's kind.

    The document table keeps its own name as alias, so filters compiled by the ORM for
    SearchDocument can be and-ed to the WHERE condition as they are.
    """
    if among is not None:
        return _match_among(node, among, kinds)
    params = [_match_text(node, title_only=title_only, kinds=kinds)]
    if within_titles:
        params.append(_any_title(within_titles, kinds))
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
    return _pg_match(
        params, title_only=title_only, titled=bool(within_titles), scored=scored, kinds=kinds
    )


def _pg_match(
    params: list, *, title_only: bool, titled: bool, scored: bool, kinds: Sequence[str]
) -> tuple[str, str, str, list]:
    """``match_sql`` on PostgreSQL; ``params``: the words' text, then the titles' when
    ``titled``. All conditions are on the GIN indexes, and exact there: PostgreSQL ANDs
    them in the indexes and reads the rows of the documents that pass."""
    vector = f"{DOC_TABLE}.{TITLE_VECTOR if title_only else 'search_vector'}"
    within = f" AND {DOC_TABLE}.{TITLE_VECTOR} @@ to_tsquery('simple', %s)" if titled else ""
    if kinds:
        within += f" AND {DOC_TABLE}.search_vector @@ %s::tsquery"
        params = [*params, kinds_tsquery(kinds)]
    return (
        f"{DOC_TABLE}, to_tsquery('simple', %s) AS search_q",
        f"{vector} @@ search_q{within}",
        f"ts_rank('{PG_RANK_WEIGHTS}', {vector}, search_q)" if scored else "0",
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


def facet_counts_of_sql(
    matching_sql: str, params: list, names: Sequence[str], *, windowed: bool
) -> tuple[str, list]:
    """(SELECT name, value, COUNT(*) … GROUP BY, params): the facet rows of ``names`` of the
    documents of ``matching_sql`` (a SELECT of their ids as ``id``), read by document id.
    ``windowed``: they are a broad search's window, at most ``ranking.RANK_WINDOW``.

    SQLite starts from the documents as written (CROSS JOIN). PostgreSQL chooses by itself,
    and for a window of a thousand it hashed every facet row of the name instead (92,000
    topic rows, 36 ms against 20): a window's rows are looked up per document (LATERAL;
    ``OFFSET 0`` keeps it from being turned into a plain join). For all the matches of a
    word, thousands, the hash is the quicker and the planner keeps it."""
    names_sql = ", ".join(["%s"] * len(names))
    rows = f"search_searchfacet f WHERE f.document_id = m.id AND f.name IN ({names_sql})"
    if windowed and vendor() == "postgresql":
        rows = f"LATERAL (SELECT f.name, f.value FROM {rows} OFFSET 0) f"  # noqa: S608
    return (
        f"SELECT f.name, f.value, COUNT(*) FROM ({matching_sql}) m "  # noqa: S608
        f"CROSS JOIN {rows} GROUP BY f.name, f.value",
        [*params, *names],
    )


def _match_among(
    node: search_query_syntax.Node, ids: Sequence[int], kinds: Sequence[str]
) -> tuple[str, str, str, list]:
    """``match_sql`` for the documents ``ids`` alone (they match): they are read by id and
    scored, the rest of the match is never touched (PostgreSQL) or only passed over in the
    index (SQLite, where bm25 needs the MATCH in the query that scores)."""
    text = _match_text(node, title_only=False, kinds=kinds)
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
