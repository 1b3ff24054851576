"""Writing the search index, the synonym table and the query log.

Indexing is a system action: the owning app calls it after its own audited change (on
commit), the index is derived data that can be rebuilt at any time, so documents leave no
audit row; a per-document row would double the audit trail for nothing. Synonym edits
change what residents find, so they are audited like any other edit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.core.ids import mask_id, mask_phone
from sanyi.orgs.models import OrgUnit
from sanyi.search import backends, lexicon
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, SearchFacet, SearchQueryLog, Synonym
from sanyi.search.registry import SearchKind, get_kind

MAX_FACET_VALUES = 200
BATCH_SIZE = 1000


@dataclass(frozen=True)
class SearchEntry:
    """One document to index; ``facets`` maps a registered facet name to its values."""

    object_id: str
    title: str
    body: str = ""
    url: str = ""
    summary: str = ""
    is_public: bool = False
    org_unit: OrgUnit | None = None
    facets: Mapping[str, Sequence[str]] = field(default_factory=dict)
    sort_date: datetime | date | None = None
    weight: int = 0
    # Same key, same kind: one thing implemented per area, shown as one result.
    collapse_key: str = ""


def _as_datetime(value: datetime | date | None) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time.min))


def _clean_entry(kind: SearchKind, entry: SearchEntry) -> tuple[dict[str, Any], list[tuple]]:
    """Field values for SearchDocument and the (name, value) facet pairs, or a ValidationError
    naming the field."""
    errors: dict[str, str] = {}
    object_id = str(entry.object_id or "").strip()
    if not object_id or len(object_id) > 64:
        errors["object_id"] = "对象编号不能为空，且不超过64个字符"
    title = " ".join(search_text.strip_control(entry.title).split())
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > 300:
        errors["title"] = "标题不能超过300个字"
    if len(entry.url or "") > 500:
        errors["url"] = "链接不能超过500个字符"
    summary = " ".join(search_text.strip_control(entry.summary).split())[:500]
    pairs: list[tuple[str, str]] = []
    for name, values in (entry.facets or {}).items():
        if name not in kind.facets:
            errors["facets"] = f"“{kind.label}”没有筛选项“{name}”"
            break
        if isinstance(values, str | int):
            values = [values]
        for value in values:
            value = str(value).strip()
            if not value or len(value) > 100:
                errors["facets"] = f"筛选项“{kind.facets[name]}”的值不能为空，且不超过100个字符"
                break
            pairs.append((name, value))
    pairs = list(dict.fromkeys(pairs))
    if len(pairs) > MAX_FACET_VALUES:
        errors["facets"] = f"筛选值不能超过{MAX_FACET_VALUES}个"
    if entry.org_unit is not None and not entry.org_unit.pk:
        errors["org_unit"] = "所属单位尚未保存"
    collapse_key = str(entry.collapse_key or "").strip()
    if len(collapse_key) > 64:
        errors["collapse_key"] = "合并键不能超过64个字符"
    if errors:
        raise ValidationError(errors)
    fields = {
        "title": title,
        "url": entry.url or "",
        "summary": summary,
        # Bodies keep their line breaks; only characters PostgreSQL cannot store go.
        "body": (entry.body or "").replace("\x00", ""),
        "is_public": bool(entry.is_public),
        "org_unit": entry.org_unit,
        "org_path": entry.org_unit.path if entry.org_unit is not None else "",
        "sort_date": _as_datetime(entry.sort_date),
        "weight": max(0, int(entry.weight or 0)),
        "collapse_key": collapse_key,
    }
    return {"object_id": object_id, **fields}, pairs


def _learn_titles(kind: SearchKind, titles: Iterable[str]) -> None:
    if kind.titles_to_dictionary:
        for title in titles:
            search_text.add_words(search_text.title_parts(title))


def _tokens(values: dict[str, Any]) -> dict[str, str]:
    title_tokens, tokens = search_text.index_tokens(values["title"], values["body"])
    return {"title_tokens": title_tokens, "tokens": tokens}


@transaction.atomic
def search_document_upsert(
    *,
    kind: str,
    object_id: str | int,
    title: str,
    body: str = "",
    url: str = "",
    summary: str = "",
    is_public: bool,
    org_unit: OrgUnit | None = None,
    facets: Mapping[str, Sequence[str]] | None = None,
    sort_date: datetime | date | None = None,
    weight: int = 0,
    collapse_key: str = "",
) -> SearchDocument:
    """Index one document, replacing what was indexed under (kind, object_id)."""
    definition = get_kind(kind)
    values, pairs = _clean_entry(
        definition,
        SearchEntry(
            object_id=str(object_id),
            title=title,
            body=body,
            url=url,
            summary=summary,
            is_public=is_public,
            org_unit=org_unit,
            facets=facets or {},
            sort_date=sort_date,
            weight=weight,
            collapse_key=collapse_key,
        ),
    )
    lexicon.ensure_fresh()
    _learn_titles(definition, [values["title"]])
    values.update(_tokens(values))
    object_id = values.pop("object_id")
    document, _ = SearchDocument.objects.select_for_update().update_or_create(
        kind=kind, object_id=object_id, defaults=values
    )
    SearchFacet.objects.filter(document=document).delete()
    SearchFacet.objects.bulk_create(
        SearchFacet(document=document, name=name, value=value) for name, value in pairs
    )
    backends.fts_replace([(document.pk, document.title_tokens, document.tokens, kind)])
    transaction.on_commit(lexicon.lexicon_changed)
    return document


@transaction.atomic
def search_document_delete(*, kind: str, object_id: str | int) -> bool:
    """Remove a document from the index. Returns whether there was one."""
    ids = list(
        SearchDocument.objects.filter(kind=kind, object_id=str(object_id)).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        return False
    backends.fts_delete(ids)
    SearchFacet.objects.filter(document_id__in=ids).delete()
    SearchDocument.objects.filter(pk__in=ids).delete()
    transaction.on_commit(lexicon.lexicon_changed)
    return True


@transaction.atomic
def search_reindex(kind: str, entries: Iterable[SearchEntry | Mapping[str, Any]]) -> int:
    """Replace every document of ``kind`` with ``entries``, all or nothing. Returns the
    number indexed. A bad entry fails the whole run with its position and object id."""
    definition = get_kind(kind)
    cleaned: list[tuple[dict[str, Any], list[tuple[str, str]]]] = []
    seen: set[str] = set()
    for position, entry in enumerate(entries, start=1):
        if isinstance(entry, Mapping):
            unknown = set(entry) - set(SearchEntry.__dataclass_fields__)
            if unknown:
                raise ValidationError(f"第{position}条：不认识的字段 {'、'.join(sorted(unknown))}")
            entry = SearchEntry(**entry)
        try:
            values, pairs = _clean_entry(definition, entry)
        except ValidationError as exc:
            messages = "；".join(f"{k}：{'，'.join(v)}" for k, v in exc.message_dict.items())
            raise ValidationError(f"第{position}条（编号{entry.object_id}）：{messages}") from exc
        if values["object_id"] in seen:
            raise ValidationError(f"第{position}条：编号{values['object_id']}重复")
        seen.add(values["object_id"])
        cleaned.append((values, pairs))

    lexicon.ensure_fresh()
    # All titles first, so every document is cut with the same, complete dictionary.
    _learn_titles(definition, (values["title"] for values, _ in cleaned))

    backends.fts_delete_kind(kind)
    SearchFacet.objects.filter(document__kind=kind).delete()
    SearchDocument.objects.filter(kind=kind).delete()
    for start in range(0, len(cleaned), BATCH_SIZE):
        batch = cleaned[start : start + BATCH_SIZE]
        documents = SearchDocument.objects.bulk_create(
            SearchDocument(kind=kind, **values, **_tokens(values)) for values, _ in batch
        )
        # Plain rows: building tens of thousands of model instances costs more than the
        # insert itself.
        rows = [
            (document.pk, name, value)
            for document, (_, pairs) in zip(documents, batch, strict=True)
            for name, value in pairs
        ]
        if rows:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"INSERT INTO {SearchFacet._meta.db_table} (document_id, name, value) "  # noqa: S608
                    "VALUES (%s, %s, %s)",
                    rows,
                )
        backends.fts_replace((d.pk, d.title_tokens, d.tokens, kind) for d in documents)
    transaction.on_commit(lexicon.lexicon_changed)
    return len(cleaned)


@transaction.atomic
def search_weights_update(kind: str, weights: Mapping[str, int]) -> int:
    """Set the weight (popularity) of documents of ``kind`` by object id; documents not
    named go back to 0. Only rows whose weight changes are written. Returns how many."""
    get_kind(kind)
    wanted = {str(k): max(0, int(v)) for k, v in weights.items()}
    current = SearchDocument.objects.filter(kind=kind).values_list("pk", "object_id", "weight")
    changed: dict[int, list[int]] = {}
    for pk, object_id, weight in current:
        new = wanted.get(object_id, 0)
        if new != weight:
            changed.setdefault(new, []).append(pk)
    for weight, ids in changed.items():
        SearchDocument.objects.filter(pk__in=ids).update(weight=weight)
    return sum(len(ids) for ids in changed.values())


# Synonyms ---------------------------------------------------------------------------------

SYNONYM_AUDIT_FIELDS = ["term", "expansions", "is_active", "note"]
_EXPANSION_SPLIT = re.compile(r"[\n\r/／、，,；;|]+")


def parse_expansions(value: str | Sequence[str]) -> list[str]:
    """Expansions from a list or from text separated by “/”, “、”, commas or new lines."""
    items = _EXPANSION_SPLIT.split(value) if isinstance(value, str) else list(value)
    return list(dict.fromkeys(" ".join(str(i).split()) for i in items if str(i).strip()))


def _clean_synonym(term: str, expansions: Sequence[str]) -> tuple[str, list[str]]:
    errors: dict[str, str] = {}
    term = "".join((term or "").split())
    if not term:
        errors["term"] = "群众用语不能为空"
    elif len(term) > 20:
        errors["term"] = "群众用语不能超过20个字"
    expansions = parse_expansions(expansions)
    if not expansions:
        errors["expansions"] = "请至少填写一个规范用语"
    elif len(expansions) > 10:
        errors["expansions"] = "规范用语不能超过10个"
    elif any(len(e) > 30 for e in expansions):
        errors["expansions"] = "每个规范用语不能超过30个字"
    if errors:
        raise ValidationError(errors)
    return term, expansions


@transaction.atomic
def synonym_create(
    *,
    actor: Actor,
    term: str,
    expansions: str | Sequence[str],
    note: str = "",
    is_active: bool = True,
) -> Synonym:
    term, expansions = _clean_synonym(term, expansions)
    if Synonym.objects.filter(term=term).exists():
        raise ValidationError({"term": f"“{term}”已经有同义词设置，请直接修改"})
    synonym = Synonym.objects.create(
        term=term, expansions=expansions, note=note.strip()[:200], is_active=is_active
    )
    audit_record(
        actor=actor,
        action="synonym.create",
        obj=synonym,
        changes={k: [None, v] for k, v in snapshot(synonym, SYNONYM_AUDIT_FIELDS).items()},
    )
    transaction.on_commit(lexicon.lexicon_changed)
    return synonym


@transaction.atomic
def synonym_update(
    *,
    actor: Actor,
    synonym: Synonym,
    term: str | None = None,
    expansions: str | Sequence[str] | None = None,
    note: str | None = None,
    is_active: bool | None = None,
) -> Synonym:
    synonym = Synonym.objects.select_for_update().get(pk=synonym.pk)
    before = snapshot(synonym, SYNONYM_AUDIT_FIELDS)
    term, expansions = _clean_synonym(
        synonym.term if term is None else term,
        synonym.expansions if expansions is None else expansions,
    )
    if Synonym.objects.filter(term=term).exclude(pk=synonym.pk).exists():
        raise ValidationError({"term": f"“{term}”已经有同义词设置"})
    synonym.term, synonym.expansions = term, expansions
    if note is not None:
        synonym.note = note.strip()[:200]
    if is_active is not None:
        synonym.is_active = is_active
    changes = diff(before, snapshot(synonym, SYNONYM_AUDIT_FIELDS))
    if not changes:
        return synonym
    synonym.save()
    audit_record(actor=actor, action="synonym.update", obj=synonym, changes=changes)
    transaction.on_commit(lexicon.lexicon_changed)
    return synonym


@transaction.atomic
def synonym_delete(*, actor: Actor, synonym: Synonym) -> None:
    synonym = Synonym.objects.select_for_update().get(pk=synonym.pk)
    audit_record(
        actor=actor,
        action="synonym.delete",
        obj=synonym,
        changes={k: [v, None] for k, v in snapshot(synonym, SYNONYM_AUDIT_FIELDS).items()},
    )
    synonym.delete()
    transaction.on_commit(lexicon.lexicon_changed)


# Query log --------------------------------------------------------------------------------

_RESIDENT_ID = re.compile(r"(?<![0-9])[0-9]{17}[0-9xX](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")
_LONG_NUMBER = re.compile(r"[0-9]{8,}")


def mask_personal_data(text: str) -> str:
    """Hide resident ID and phone numbers someone typed into the search box."""
    text = _RESIDENT_ID.sub(lambda m: mask_id(m.group()), text)
    text = _MOBILE.sub(lambda m: mask_phone(m.group()), text)
    return _LONG_NUMBER.sub(lambda m: mask_id(m.group(), head=2, tail=2), text)


def search_query_log_create(
    *,
    text: str,
    kinds: Sequence[str],
    filters: Mapping[str, Sequence[str]],
    result_count: int,
    took_ms: int,
    is_anonymous: bool,
    is_poor: bool = False,
    top_result: str = "",
) -> None:
    """One row, one INSERT. Not audited: it records what the public asked, not a change."""
    SearchQueryLog.objects.create(
        is_poor=is_poor and result_count > 0,
        top_result=top_result[:110],
        text=mask_personal_data(text)[:100],
        kinds=",".join(sorted(kinds))[:200],
        filters={name: list(values) for name, values in filters.items()},
        result_count=result_count,
        took_ms=max(0, took_ms),
        is_anonymous=is_anonymous,
        created_at=timezone.now(),
    )
