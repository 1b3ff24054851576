"""Indexed documents for search tests, written through the services."""

from __future__ import annotations

import itertools

from django.db import connection

from sanyi.search.services import search_document_upsert

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
