import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.orgs.tests import factories as orgs
from sanyi.search.models import SearchDocument, SearchFacet
from sanyi.search.selectors import search_query
from sanyi.search.services import (
    SearchEntry,
    search_document_delete,
    search_document_upsert,
    search_reindex,
)
from sanyi.search.tests.factories import ITEM, PUBLICATION, item

pytestmark = pytest.mark.django_db


def found(text, kinds=(ITEM,)) -> list[str]:
    return [h.object_id for h in search_query(text=text, kinds=list(kinds), log=False).hits]


def fts_rows() -> int:
    if connection.vendor != "sqlite":
        return SearchDocument.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_fts")
        return cursor.fetchone()[0]


def test_upsert_stores_the_document_its_facets_its_org_path_and_its_tokens():
    tree = orgs.tree()

    document = search_document_upsert(
        kind=ITEM,
        object_id=42,
        title="户口迁移",
        body="需要户口簿。",
        url="/items/42/",
        summary="市内迁移",
        is_public=True,
        org_unit=tree["comm1"],
        facets={"level": ["community"], "theme": ["household", "household"]},
        sort_date=dt.date(2026, 3, 1),
        weight=3,
    )

    assert document.object_id == "42"
    assert document.org_path == tree["comm1"].path
    document.refresh_from_db()
    assert timezone.localtime(document.sort_date).date() == dt.date(2026, 3, 1)
    assert sorted(document.facets.values_list("name", "value")) == [
        ("level", "community"),
        ("theme", "household"),
    ]
    assert "hkqy" in document.title_tokens.split()
    assert "户口簿" in document.tokens.split()
    # Indexing is a system action (see the ADR): no audit row per document.
    assert not AuditEvent.objects.filter(object_type="search.searchdocument").exists()


def test_upsert_replaces_the_previous_version_of_the_same_object():
    item("户口迁移", object_id="7", facets={"level": ["district"]})

    item("居住证签注", object_id="7", facets={"level": ["subdistrict"]})

    assert SearchDocument.objects.count() == 1
    assert fts_rows() == 1
    assert found("户口迁移") == []
    assert found("居住证") == ["7"]
    assert list(SearchFacet.objects.values_list("value", flat=True)) == ["subdistrict"]


def test_delete_removes_the_document_from_the_full_text_index():
    item("户口迁移", object_id="7")
    item("户口登记", object_id="8")

    assert search_document_delete(kind=ITEM, object_id=7) is True
    assert search_document_delete(kind=ITEM, object_id=7) is False

    assert found("户口") == ["8"]
    assert fts_rows() == 1
    assert SearchFacet.objects.filter(document__object_id="7").count() == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "户" * 301}, "title"),
        ({"facets": {"colour": ["red"]}}, "facets"),
        ({"facets": {"level": [""]}}, "facets"),
        ({"object_id": ""}, "object_id"),
    ],
)
def test_upsert_refuses_bad_input_naming_the_field(fields, field):
    values = {"kind": ITEM, "object_id": "1", "title": "户口迁移", "is_public": True, **fields}

    with pytest.raises(ValidationError) as error:
        search_document_upsert(**values)

    assert field in error.value.message_dict
    assert not SearchDocument.objects.exists()


def test_an_unregistered_kind_is_refused():
    with pytest.raises(ValidationError) as error:
        search_document_upsert(kind="nope.kind", object_id="1", title="户口", is_public=True)

    assert "kind" in error.value.message_dict


def test_reindex_replaces_every_document_of_the_kind_and_leaves_other_kinds_alone():
    item("户口迁移", object_id="old")
    item("户口政策解读", object_id="p1", kind=PUBLICATION)

    count = search_reindex(
        ITEM,
        [
            SearchEntry(
                object_id=str(n),
                title=f"户口登记{n}",
                is_public=True,
                facets={"level": ["district" if n % 2 else "community"]},
            )
            for n in range(250)
        ]
        + [{"object_id": "m", "title": "出生医学证明", "is_public": True}],
    )

    assert count == 251
    assert SearchDocument.objects.filter(kind=ITEM).count() == 251
    assert found("户口迁移") == []
    assert search_query(text="户口登记", kinds=[ITEM], log=False).total == 250
    assert found("出生医学证明") == ["m"]
    assert found("政策解读", kinds=[PUBLICATION]) == ["p1"]
    assert fts_rows() == 252
    assert SearchFacet.objects.filter(value="district").count() == 125


def test_reindex_is_all_or_nothing_and_names_the_bad_entry():
    item("户口迁移", object_id="keep")
    entries = [
        SearchEntry(object_id="1", title="户口登记", is_public=True),
        SearchEntry(object_id="2", title="", is_public=True),
    ]

    with pytest.raises(ValidationError) as error:
        search_reindex(ITEM, entries)

    assert "第2条（编号2）" in error.value.messages[0]
    assert found("户口迁移") == ["keep"]


def test_reindex_refuses_the_same_object_twice():
    entries = [SearchEntry(object_id="1", title="户口登记"), SearchEntry(object_id="1", title="x")]

    with pytest.raises(ValidationError, match="编号1重复"):
        search_reindex(ITEM, entries)


def test_control_characters_are_dropped_before_storing():
    document = item("户口\x00迁移\u200b", body="第一行\x00\n第二行", summary="摘\x07要")

    document.refresh_from_db()
    assert document.title == "户口迁移"
    assert document.summary == "摘要"
    assert document.body == "第一行\n第二行"


def test_reindex_names_an_unknown_field_of_a_dict_entry():
    with pytest.raises(ValidationError, match="第1条：不认识的字段 colour"):
        search_reindex(ITEM, [{"object_id": "1", "title": "户口登记", "colour": "red"}])
