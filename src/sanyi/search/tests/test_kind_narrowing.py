"""A search of kinds that hold few of the documents reads their matches from the index
alone (``backends.narrowing_kinds``): the same results as testing each match's kind."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.search import backends, lexicon, ranking
from sanyi.search.models import SearchDocument
from sanyi.search.selectors import search_query
from sanyi.search.services import SearchEntry, search_reindex
from sanyi.search.tests.factories import (
    GENERATED_WORDS,
    ITEM,
    PUBLICATION,
    generated_documents,
    index_generated,
    item,
)

pytestmark = pytest.mark.django_db
ALWAYS, NEVER = 1.01, 0.0  # NARROW_BELOW_SHARE that narrows every search, or none


def _search(monkeypatch, share: float, text: str, **kwargs):
    monkeypatch.setattr(backends, "NARROW_BELOW_SHARE", share)
    backends.forget_kind_counts()
    return search_query(text=text, kinds=[ITEM], viewer=AnonymousUser(), log=False, **kwargs)


def _publications(bodies: list[list[str]]) -> None:
    search_reindex(
        PUBLICATION,
        [
            SearchEntry(
                object_id=f"p{n}",
                title="".join(words[:2]),
                body="，".join(words),
                is_public=True,
                facets={"topic": ["t"]},
            )
            for n, words in enumerate(bodies)
        ],
    )


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    docs=generated_documents,
    others=st.lists(
        st.lists(st.sampled_from(GENERATED_WORDS), min_size=1, max_size=4), max_size=20
    ),
    text=st.sampled_from(["户口", "登记", "户口 迁移", "生育登记", "hukou", "h", "最低生活保障"]),
    level=st.sampled_from([None, "a"]),
    window=st.sampled_from([1000, 2]),
    prefer_titles=st.booleans(),
    offset=st.sampled_from([0, 0, 3]),
)
def test_a_narrowed_search_finds_what_a_search_testing_each_kind_finds(
    monkeypatch, docs, others, text, level, window, prefer_titles, offset
):
    with transaction.atomic():
        index_generated(docs)
        _publications(others)
        lexicon.ensure_fresh()
        monkeypatch.setattr(ranking, "RANK_WINDOW", window)
        asked = {
            "filters": {"level": [level]} if level else {},
            "prefer_titles": prefer_titles,
            "limit": 3,
            "offset": offset,
        }

        narrowed = _search(monkeypatch, ALWAYS, text, **asked)
        tested = _search(monkeypatch, NEVER, text, **asked)

        assert dataclasses.replace(narrowed, took_ms=0) == dataclasses.replace(tested, took_ms=0)
        transaction.set_rollback(True)


def _statements(monkeypatch, share: float, text: str) -> str:
    with CaptureQueriesContext(connection) as captured:
        _search(monkeypatch, share, text)
    return "\n".join(q["sql"] for q in captured.captured_queries)


def test_the_kinds_are_matched_in_the_index_when_they_hold_few_documents(monkeypatch):
    item("户口迁移登记")
    _publications([["户口", "迁移"]] * 3)
    lexicon.ensure_fresh()
    backends.forget_kind_counts()
    marker = (
        backends.kind_token(ITEM)
        if connection.vendor == "sqlite"
        else f"{backends.KIND_LEXEME}{ITEM}"
    )

    assert backends.narrowing_kinds([ITEM]) == (ITEM,)  # one document of four
    assert backends.narrowing_kinds([PUBLICATION]) == ()  # three of four
    assert backends.narrowing_kinds([ITEM, PUBLICATION]) == ()
    assert marker in _statements(monkeypatch, backends.NARROW_BELOW_SHARE, "户口")
    assert marker not in _statements(monkeypatch, NEVER, "户口")


def test_the_count_per_kind_is_read_once_in_a_while(django_assert_num_queries):
    item("户口迁移登记")
    backends.forget_kind_counts()
    with django_assert_num_queries(1):
        assert backends.documents_per_kind() == {ITEM: 1}
    item("生育登记")
    with django_assert_num_queries(0):
        assert backends.documents_per_kind() == {ITEM: 1}  # trusted for a while


@pytest.mark.parametrize("share", [ALWAYS, NEVER])
def test_no_typed_letter_matches_the_kind_itself(monkeypatch, share):
    item("户口迁移登记")
    _publications([["户口", "迁移"]])
    lexicon.ensure_fresh()

    # "k" is typed as the start of a word (pinyin or an abbreviation): it must not match the
    # kind token (SQLite) or lexeme (PostgreSQL) every document has.
    for text in ("k", "kc", backends.kind_token(ITEM), "catalog"):
        assert _search(monkeypatch, share, text).total == 0, text


def test_kind_tokens_are_one_word_each_and_never_shared():
    kinds = ["catalog.item", "catalog.life_event", "a.b_c", "a.bx5fc", "a.bx_c", "ab.c"]

    tokens = [backends.kind_token(kind) for kind in kinds]

    assert len(set(tokens)) == len(tokens)
    assert all(token.isascii() and token.isalnum() for token in tokens)
    assert backends.kind_token("catalog.item") == "kcatalogx2eitem"


@pytest.mark.django_db(transaction=True)
def test_the_upgrade_indexes_the_kind_of_every_document():
    item("户口迁移登记")
    _publications([["户口", "迁移"], ["生育", "登记"]])
    before = [("search", "0007_broad_search_reads")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                cursor.execute("SELECT rowid, kind_tokens FROM search_fts")
            else:
                cursor.execute(
                    "SELECT id, search_vector::text FROM search_searchdocument "
                    "WHERE search_vector @@ %s::tsquery",
                    [backends.kinds_tsquery([ITEM, PUBLICATION])],
                )
            indexed = dict(cursor.fetchall())
        kinds = dict(SearchDocument.objects.values_list("pk", "kind"))
        assert set(indexed) == set(kinds)
        for pk, kind in kinds.items():
            expected = (
                backends.kind_token(kind)
                if connection.vendor == "sqlite"
                else f"'{backends.KIND_LEXEME}{kind}'"
            )
            assert expected in indexed[pk]
        lexicon.ensure_fresh()
        backends.forget_kind_counts()
        found = search_query(text="户口", kinds=[ITEM], viewer=AnonymousUser(), log=False)
        assert [hit.title for hit in found.hits] == ["户口迁移登记"]
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
