"""The catalogue in the search index: items in force and life events.

Two kinds are registered with the search app (``register_search_kinds``, called from the
catalogue's AppConfig): ``catalog.item``, one document per implementation code while it
has a published version, and ``catalog.life_event``. The index follows the catalogue on
commit:

* ``item_published``: the code's document is rewritten from the new version (which also
  drops what the superseded version said);
* a version cancelled: the code's document is removed (no published version is left);
* a life event saved, deleted or given other items: its document and the documents of the
  items that joined or left it are rewritten.

Items implemented per area (one base item, a guide per subdistrict or community) share a
collapse key, the base code, so a search shows them as one result that opens the
resident's own area's guide. Each item's weight is its popularity (``item_popularity``):
applications made for it and searches that led to it; ``catalog.search-popularity``
refreshes the weights every night.

Indexing never fails a catalogue change: the index is derived data, a failure is logged,
and ``catalog_reindex`` (``sanyi catalog reindex``) rebuilds everything from scratch.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.urls import reverse
from django.utils import timezone

from sanyi.catalog.choices import ItemType, VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemVersion, LifeEvent
from sanyi.catalog.public import (
    PUBLIC_LEVELS,
    CenterIndex,
    GuidePage,
    department_of,
    guide_page,
    level_label,
    published_guide_versions,
)
from sanyi.catalog.signals import item_published
from sanyi.search.registry import register_kind
from sanyi.search.selectors import search_counts
from sanyi.search.services import (
    SearchEntry,
    search_document_delete,
    search_document_upsert,
    search_reindex,
    search_weights_update,
)

logger = logging.getLogger(__name__)

ITEM_KIND = "catalog.item"
LIFE_EVENT_KIND = "catalog.life_event"
ITEM_FACETS = {
    "level": "办理层级",
    "department": "部门",
    "item_type": "事项类型",
    "theme": "主题",
    "life_event": "一件事",
    "service_center": "办理地点",
}
LIFE_EVENT_FACETS = {"life_event": "一件事", "theme": "主题"}
SEARCH_KINDS = [ITEM_KIND, LIFE_EVENT_KIND]


def register_search_kinds() -> None:
    register_kind(ITEM_KIND, label="办事事项", facets=ITEM_FACETS)
    register_kind(LIFE_EVENT_KIND, label="一件事", facets=LIFE_EVENT_FACETS)


def facet_label(name: str, value: str) -> str:
    """How a stored facet value reads to a resident."""
    if name == "level":
        return PUBLIC_LEVELS.get(value) or level_label(value)
    if name == "item_type":
        try:
            return ItemType(value).label
        except ValueError:
            return value
    return value


# --- documents ---------------------------------------------------------------------------

# The search index keeps facet values up to 100 characters; a theme may be up to 200.
FACET_VALUE_MAX = 100


def _facet_value(value: str) -> str:
    return value[:FACET_VALUE_MAX]


def item_summary(page: GuidePage) -> str:
    """The line a search result shows under the title: where, how long, how many visits."""
    return f"{page.unit.name} · {page.time.headline} · {page.visits_text}"


# Searches older than this no longer count towards an item's popularity.
POPULARITY_SEARCH_DAYS = 180


def item_popularity(item_ids: Iterable[int] | None = None) -> dict[str, int]:
    """Implementation code → how much residents use the item: the applications (cases)
    made for it plus the searches of the last POPULARITY_SEARCH_DAYS days whose first
    result it was. Items nobody used are left out. ``item_ids`` limits it to some items."""
    items = ImplementationItem.objects.all()
    if item_ids is not None:
        items = items.filter(pk__in=list(item_ids))
    counts: dict[str, int] = {}
    # Cases point at the item they were made for; read through that relation, so the
    # catalogue needs nothing from the cases app.
    if "cases" in {f.name for f in ImplementationItem._meta.related_objects}:
        rows = items.annotate(n=Count("cases")).filter(n__gt=0)
        counts.update(rows.values_list("implementation_code", "n"))
    since = timezone.now() - dt.timedelta(days=POPULARITY_SEARCH_DAYS)
    searched = search_counts(kind=ITEM_KIND, since=since)
    codes = set(items.values_list("implementation_code", flat=True)) if item_ids else None
    for code, n in searched.items():
        if codes is None or code in codes:
            counts[code] = counts.get(code, 0) + n
    return counts


def refresh_popularity() -> int:
    """Set every item document's weight to its popularity; returns how many changed."""
    return search_weights_update(ITEM_KIND, item_popularity())


def item_entry(page: GuidePage, popularity: dict[str, int] | None = None) -> SearchEntry:
    version, item = page.version, page.item
    department = department_of(item)
    themes = [*version.themes_person, *version.themes_business]
    body = "\n".join(
        part
        for part in [
            version.acceptance_conditions,
            "申请材料：" + "、".join(m.name for m in page.materials),
            "依据：" + "、".join(b.title for b in page.legal_bases),
            "、".join(v.name for v in page.variants),
            "、".join(themes),
            "、".join(e.name for e in page.life_events),
            page.unit.name,
            department.name if department else "",
            version.result_name,
        ]
        if part
    )
    facets = {
        "level": [item.level],
        "item_type": [item.base_item.item_type],
        "theme": [_facet_value(t) for t in themes],
        "life_event": [e.name for e in page.life_events],
        "service_center": [c.name for c in page.centers],
    }
    if department is not None:
        facets["department"] = [department.name]
    return SearchEntry(
        object_id=item.implementation_code,
        title=page.name,
        body=body,
        url=reverse("catalog:guide", args=[item.implementation_code]),
        summary=item_summary(page),
        is_public=True,
        org_unit=item.implementing_unit,
        facets={k: v for k, v in facets.items() if v},
        sort_date=version.published_at,
        weight=(popularity or {}).get(item.implementation_code, 0),
        collapse_key=item.base_item.base_code,
    )


def life_event_entry(event: LifeEvent, versions: list[ItemVersion]) -> SearchEntry:
    names = list(dict.fromkeys(v.implementation_item.base_item.name for v in versions))
    themes = list(
        dict.fromkeys(t for v in versions for t in [*v.themes_person, *v.themes_business])
    )
    return SearchEntry(
        object_id=str(event.pk),
        title=event.name,
        body="\n".join([event.description, "包含事项：" + "、".join(names), "、".join(themes)]),
        url=reverse("catalog:life_event", args=[event.pk]),
        summary=f"一件事一次办 · 包含{len(names)}个事项：{'、'.join(names[:4])}"
        + ("等" if len(names) > 4 else ""),
        is_public=True,
        facets={
            "life_event": [event.name],
            **({"theme": [_facet_value(t) for t in themes]} if themes else {}),
        },
        # Bundles first when the words match equally: one page covers several items.
        weight=1,
    )


def _event_versions(event_ids: Iterable[int]) -> dict[int, list[ItemVersion]]:
    by_event: dict[int, list[ItemVersion]] = {pk: [] for pk in event_ids}
    versions = (
        ItemVersion.objects.filter(
            status=VersionStatus.PUBLISHED, implementation_item__life_events__in=list(by_event)
        )
        .select_related("implementation_item__base_item")
        .prefetch_related("implementation_item__life_events")
        .order_by("implementation_item__base_item__base_code")
    )
    for version in versions:
        for event in version.implementation_item.life_events.all():
            if event.pk in by_event and version not in by_event[event.pk]:
                by_event[event.pk].append(version)
    return by_event


def index_item(item_id: int) -> None:
    """Rewrite (or remove) the document of one implementation code from its published
    version."""
    version = published_guide_versions().filter(implementation_item_id=item_id).first()
    if version is None:
        code = (
            ImplementationItem.objects.filter(pk=item_id)
            .values_list("implementation_code", flat=True)
            .first()
        )
        if code:
            search_document_delete(kind=ITEM_KIND, object_id=code)
        return
    entry = item_entry(guide_page(version), item_popularity([item_id]))
    search_document_upsert(
        kind=ITEM_KIND,
        object_id=entry.object_id,
        title=entry.title,
        body=entry.body,
        url=entry.url,
        summary=entry.summary,
        is_public=entry.is_public,
        org_unit=entry.org_unit,
        facets=entry.facets,
        sort_date=entry.sort_date,
        weight=entry.weight,
        collapse_key=entry.collapse_key,
    )


def index_life_events(event_ids: Iterable[int]) -> None:
    """Rewrite the documents of these life events; events with no item in force, or gone,
    leave the index."""
    ids = set(event_ids)
    events = {e.pk: e for e in LifeEvent.objects.filter(pk__in=ids)}
    versions = _event_versions(events)
    for pk in ids:
        event = events.get(pk)
        if event is None or not versions.get(pk):
            search_document_delete(kind=LIFE_EVENT_KIND, object_id=pk)
            continue
        entry = life_event_entry(event, versions[pk])
        search_document_upsert(
            kind=LIFE_EVENT_KIND,
            object_id=entry.object_id,
            title=entry.title,
            body=entry.body,
            url=entry.url,
            summary=entry.summary,
            is_public=True,
            facets=entry.facets,
            weight=entry.weight,
        )


@transaction.atomic
def catalog_reindex() -> tuple[int, int]:
    """Rebuild both kinds from the catalogue; returns (items, life events) indexed."""
    centers = CenterIndex()
    popularity = item_popularity()
    items = search_reindex(
        ITEM_KIND,
        (
            item_entry(guide_page(v, centers=centers), popularity)
            for v in published_guide_versions()
        ),
    )
    events = LifeEvent.objects.order_by("sort_order", "name")
    versions = _event_versions(e.pk for e in events)
    life_events = search_reindex(
        LIFE_EVENT_KIND,
        (life_event_entry(e, versions[e.pk]) for e in events if versions.get(e.pk)),
    )
    return items, life_events


# --- following the catalogue -------------------------------------------------------------


_suspended = contextvars.ContextVar("catalog_indexing_suspended", default=False)


@contextlib.contextmanager
def indexing_suspended():
    """Skip per-item index updates during a bulk write; the caller runs
    ``catalog_reindex()`` once afterwards (one pass instead of one per item)."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def _safely(what: str, func, *args) -> None:
    if _suspended.get():
        return
    try:
        func(*args)
    except Exception:
        logger.exception("search index not updated (%s); run `sanyi catalog reindex`", what)


def _item_and_events(item_id: int) -> None:
    _safely(f"item {item_id}", index_item, item_id)
    event_ids = list(
        LifeEvent.objects.filter(items__pk=item_id)
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )
    if event_ids:
        _safely("life events", index_life_events, event_ids)


def on_item_published(sender, *, version, previous=None, **kwargs) -> None:
    # Sent on commit already: index at once.
    _item_and_events(version.implementation_item_id)


def on_version_saved(sender, *, instance, created, update_fields=None, **kwargs) -> None:
    if created or instance.status != VersionStatus.CANCELLED:
        return
    if update_fields is not None and "status" not in update_fields:
        return
    item_id = instance.implementation_item_id
    transaction.on_commit(lambda: _item_and_events(item_id))


def on_life_event_items_changed(sender, *, instance, action, reverse, pk_set, **kwargs) -> None:
    if action == "pre_clear":
        # A clear names no rows afterwards: remember who was linked.
        related = instance.life_events if reverse else instance.items
        instance._index_cleared = list(related.values_list("pk", flat=True))
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    changed = set(pk_set or getattr(instance, "_index_cleared", []))
    if reverse:  # instance is an ImplementationItem, pk_set its life events
        item_ids, event_ids = {instance.pk}, changed
    else:
        item_ids, event_ids = changed, {instance.pk}

    def run() -> None:
        for item_id in item_ids:
            _safely(f"item {item_id}", index_item, item_id)
        _safely("life events", index_life_events, event_ids)

    transaction.on_commit(run)


def on_life_event_saved(sender, *, instance, **kwargs) -> None:
    pk = instance.pk
    transaction.on_commit(lambda: _safely("life event", index_life_events, [pk]))


def on_life_event_deleted(sender, *, instance, **kwargs) -> None:
    pk = instance.pk
    transaction.on_commit(lambda: _safely("life event", _delete_event_document, pk))


def _delete_event_document(pk: int) -> None:
    search_document_delete(kind=LIFE_EVENT_KIND, object_id=pk)


def connect_receivers() -> None:
    item_published.connect(on_item_published, sender=ItemVersion, dispatch_uid="catalog_index")
    post_save.connect(on_version_saved, sender=ItemVersion, dispatch_uid="catalog_index_cancel")
    m2m_changed.connect(
        on_life_event_items_changed,
        sender=LifeEvent.items.through,
        dispatch_uid="catalog_index_life_event_items",
    )
    post_save.connect(on_life_event_saved, sender=LifeEvent, dispatch_uid="catalog_index_event")
    post_delete.connect(
        on_life_event_deleted, sender=LifeEvent, dispatch_uid="catalog_index_event_delete"
    )
