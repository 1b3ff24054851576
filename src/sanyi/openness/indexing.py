"""Publications in the search index (kind ``openness.publication``).

Only records that are public at indexing time are indexed as public; a scheduled one is
indexed as non-public and turned public by the task that runs at its publish time. The
public search view still passes every hit through ``publication_public_qs``, so a late
task can delay a record in search but never leak one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.utils import timezone

from sanyi.search.registry import register_kind
from sanyi.search.services import SearchEntry, search_document_delete, search_document_upsert

KIND = "openness.publication"
FACETS = {
    "topic": "主题分类",
    "publisher": "发布机构",
    "year": "年份",
    "area": "公开领域",
    "level": "公开层级",
}


def register_search_kind() -> None:
    register_kind(KIND, label="政府信息", facets=FACETS, titles_to_dictionary=False)


def _facets(publication) -> dict[str, list[str]]:
    facets = {
        "topic": [publication.topic],
        "publisher": [str(publication.publisher_id)],
        "year": [str(timezone.localtime(publication.publish_at).year)],
    }
    entry = publication.directory_entry
    if entry is not None:
        facets["area"] = [str(entry.area_id)]
        facets["level"] = [entry.level]
    return facets


def search_entry(publication, *, now=None) -> SearchEntry:
    from sanyi.openness.selectors import is_public

    return SearchEntry(
        object_id=str(publication.pk),
        title=publication.title,
        body="\n".join([publication.document_number, publication.keywords, publication.body_text]),
        url=publication.get_absolute_url(),
        summary=" ".join(publication.body_text.split())[:160],
        is_public=is_public(publication, now=now),
        org_unit=publication.publisher,
        facets=_facets(publication),
        sort_date=publication.publish_at,
    )


def index_publication(publication) -> None:
    """Index (or re-index) one publication that has a publish time; call on commit."""
    entry = search_entry(publication)
    search_document_upsert(
        kind=KIND,
        object_id=entry.object_id,
        title=entry.title,
        body=entry.body,
        url=entry.url,
        summary=entry.summary,
        is_public=entry.is_public,
        org_unit=entry.org_unit,
        facets=entry.facets,
        sort_date=entry.sort_date,
    )


def unindex_publication(publication_id: int) -> None:
    search_document_delete(kind=KIND, object_id=publication_id)


def search_entries(publications: Iterable) -> Iterator[SearchEntry]:
    now = timezone.now()
    for publication in publications:
        yield search_entry(publication, now=now)


def reindex_all() -> int:
    """Rebuild the whole kind from the database: scheduled and published records."""
    from sanyi.openness.models import Publication
    from sanyi.openness.selectors import PUBLIC_STATUSES
    from sanyi.search.services import search_reindex

    publications = (
        Publication.objects.filter(status__in=PUBLIC_STATUSES, publish_at__isnull=False)
        .select_related("publisher", "directory_entry")
        .iterator(chunk_size=2000)
    )
    return search_reindex(KIND, search_entries(publications))
