"""The text match runs on the full-text index of each database, never on a LIKE scan."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sanyi.search.selectors import search_query
from sanyi.search.services import SearchEntry, search_reindex
from sanyi.search.tests.factories import ITEM

pytestmark = pytest.mark.django_db
SUBJECTS = ["户口", "生育", "养老保险", "食品经营", "残疾人证", "婚姻", "居住证", "医疗保险"]
ACTIONS = ["登记", "许可", "备案", "证明", "补贴", "变更", "注销"]


def index_items(count: int) -> None:
    search_reindex(
        ITEM,
        (
            SearchEntry(
                object_id=str(n),
                # A few rare titles, so the planner has a selective word to look up.
                title=(
                    "殡葬补助金申领"
                    if n % 500 == 0
                    else f"{SUBJECTS[n % len(SUBJECTS)]}{ACTIONS[n % len(ACTIONS)]}{n}"
                ),
                body=f"第{n}号事项的办事指南。",
                is_public=True,
                facets={"level": ["district"]},
            )
            for n in range(count)
        ),
    )


def match_query(text: str) -> str:
    with CaptureQueriesContext(connection) as ctx:
        search_query(text=text, kinds=[ITEM], filters={"level": ["district"]}, log=False)
    marker = "MATCH" if connection.vendor == "sqlite" else "@@"
    sql = [q["sql"] for q in ctx.captured_queries if marker in q["sql"]]
    assert sql, "the search ran no full-text match"
    assert all(" LIKE " not in s.upper() for s in sql)
    return sql[0]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite query plan")
def test_sqlite_matches_through_the_fts5_table():
    index_items(200)
    sql = match_query("残疾人证")

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())

    assert "SCAN search_fts VIRTUAL TABLE INDEX" in plan
    # The matches drive the query; each document is then looked up by its id, in the
    # narrow index of what the search reads first (ids, filters, weight and date).
    assert plan.index("search_fts") < plan.index("search_searchdocument")
    assert "SEARCH search_searchdocument USING COVERING INDEX search_doc_window (id=?" in plan
    assert "SCAN search_searchdocument" not in plan


@pytest.mark.postgres_only
def test_postgresql_matches_through_the_gin_index():
    index_items(3000)
    with connection.cursor() as cursor:
        # What autovacuum does in production after a reindex; the planner needs the numbers.
        cursor.execute("ANALYZE search_searchdocument")
        cursor.execute("ANALYZE search_searchfacet")
    sql = match_query("殡葬补助")

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "search_doc_vector" in plan
    assert "Bitmap Index Scan" in plan


def test_a_filter_without_words_reads_its_documents_from_the_facet_index():
    """Browsing by a facet value takes the documents' ids from the index of (name, value,
    document) alone, without reading the facet rows themselves."""
    search_reindex(
        ITEM,
        (
            SearchEntry(
                object_id=str(n),
                title=f"{SUBJECTS[n % len(SUBJECTS)]}{ACTIONS[n % len(ACTIONS)]}{n}",
                body=f"第{n}号事项的办事指南。",
                is_public=True,
                facets={"theme": [f"theme{n % 40}"]},  # 40 values: one is a few rows
            )
            for n in range(800)
        ),
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as ctx:
        results = search_query(text="", kinds=[ITEM], filters={"theme": ["theme7"]}, log=False)
    assert results.total == 20
    sql = next(
        q["sql"]
        for q in ctx.captured_queries
        if "search_searchfacet" in q["sql"] and "WITH" in q["sql"]
    )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql)
            plan = " | ".join(str(row[-1]) for row in cursor.fetchall())
            assert "COVERING INDEX search_facet_name_value_doc" in plan, plan
            return
        # At this size the planner may read the few rows any way; what is checked is that
        # the index alone answers the filter's read of one value's documents.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(
            "EXPLAIN SELECT document_id FROM search_searchfacet WHERE name = %s AND value = %s",
            ["theme", "theme7"],
        )
        plan = " | ".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using search_facet_name_value_doc" in plan, plan
