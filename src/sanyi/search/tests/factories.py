"""Indexed documents for search tests, written through the services."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime

from django.db import connection
from hypothesis import strategies as st

from sanyi.search.services import SearchEntry, search_document_upsert, search_reindex

ITEM = "test.item"
PUBLICATION = "test.publication"
ITEM_FACETS = {
    "level": "行使层级",
    "department": "实施部门",
    "item_type": "事项类型",
    "theme": "主题",
    "life_event": "一件事",
    "service_center": "办理地点",
}

_seq = itertools.count(1)


def item(title: str, *, body: str = "", is_public: bool = True, **fields):
    """An indexed item; facets default to none, object ids are unique."""
    n = next(_seq)
    return search_document_upsert(
        kind=fields.pop("kind", ITEM),
        object_id=fields.pop("object_id", str(n)),
        title=title,
        body=body,
        url=fields.pop("url", f"/items/{n}/"),
        is_public=is_public,
        **fields,
    )


def planner_statements() -> int:
    """Statements a search for words adds on PostgreSQL inside a test's transaction:
    telling the planner to read the matches from the index, and putting it back after
    (``backends.matches_from_the_index``)."""
    return 2 if connection.vendor == "postgresql" else 0


# Documents for the property tests, as ``index_generated`` takes them.
GENERATED_WORDS = ["户口", "迁移", "生育", "登记", "最低生活保障", "养老", "补贴", "证明", "户口簿"]
generated_documents = st.lists(
    st.tuples(
        st.lists(st.sampled_from(GENERATED_WORDS), min_size=1, max_size=3),  # title
        st.lists(st.sampled_from(GENERATED_WORDS), max_size=4),  # body
        st.sampled_from(["", "", "k1", "k2", "k3"]),  # collapse key
        st.integers(min_value=0, max_value=3),  # weight
        st.booleans(),  # level a or b
    ),
    min_size=1,
    max_size=14,
)


def index_generated(
    docs: Sequence[tuple[list[str], list[str], str, int, bool]],
    sort_dates: Sequence[datetime | None] = (),
) -> None:
    """Index the documents a property test generated, replacing every item: (title words,
    body words, collapse key, weight, level a or b), object ids by position; each with
    its sort date when ``sort_dates`` are given."""
    search_reindex(
        ITEM,
        [
            SearchEntry(
                object_id=str(n),
                title="".join(title),
                body="，".join(body),
                is_public=True,
                collapse_key=key,
                weight=weight,
                sort_date=sort_dates[n] if sort_dates else None,
                facets={"level": ["a" if in_a else "b"]},
            )
            for n, (title, body, key, weight, in_a) in enumerate(docs)
        ],
    )
