"""Importing published government information from JSON Lines (the corpus format:
title, published_at, document_number, publisher, channel, source_url, body, truncated,
provenance, and optionally source). Every line is checked first; one bad line refuses the
whole file.

``source`` (来源) names the authority or site a record is reprinted from; a line without
it takes the import's ``source`` argument. A record with a source is a reprint: the
portal shows its source and original link and never our unit as its issuer.

The file is read one line at a time, never whole. Limits (docs/openness.md): a line at
most 4 MB (``JSONL_MAX_LINE_BYTES``), title 300 characters, body 200,000 characters,
document number 100, source URL 500, channel 200, provenance 20,000 characters of JSON.
A line over a limit is an error naming the line and the field."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.core.imports import Line, RowError, jsonl_lines, shorten
from sanyi.core.links import link_problem
from sanyi.openness import indexing
from sanyi.openness.choices import DisclosureAttribute, DocumentKind, PublicationStatus, Topic
from sanyi.openness.models import Publication, PublicationRevision
from sanyi.openness.services import allocate_index_number, html_to_text, text_to_html
from sanyi.orgs.models import OrgUnit

IMPORT_ACTOR = "系统：导入"
# The source pages state Beijing time without a zone.
SOURCE_ZONE = zoneinfo.ZoneInfo("Asia/Shanghai")
REQUIRED = ("title", "published_at", "body")
# The longest government document in the corpus has some 13,000 characters; a body of
# millions is a broken export, and would tie up the importer and the search index.
BODY_MAX_CHARS = 200_000
CHANNEL_MAX_CHARS = 200
PROVENANCE_MAX_CHARS = 20_000
TEXT_FIELDS = (
    "title",
    "published_at",
    "document_number",
    "publisher",
    "channel",
    "source_url",
    "body",
    "source",
)
SOURCE_MAX_CHARS = 200

# Site channel (栏目) → topic. Matched by substring, first hit wins; unknown → 其他.
CHANNEL_TOPICS: list[tuple[str, str]] = [
    ("规范性文件", Topic.NORMATIVE),
    ("人事任免", Topic.PERSONNEL),
    ("管委会文件", Topic.POLICY),
    ("部门文件", Topic.POLICY),
    ("其他文件", Topic.POLICY),
    ("办事指南", Topic.GUIDE),
    ("办理时限", Topic.GUIDE),
    ("收费标准", Topic.GUIDE),
    ("受理机构", Topic.GUIDE),
    ("申请流程", Topic.GUIDE),
    ("办理结果", Topic.LICENSING_PENALTY),
    ("行政许可", Topic.LICENSING_PENALTY),
    ("随机抽查", Topic.MARKET),
    ("价格", Topic.MARKET),
    ("食品安全", Topic.MARKET),
    ("预算", Topic.FINANCE),
    ("决算", Topic.FINANCE),
    ("jdsj", Topic.FINANCE),
    ("年度计划", Topic.PLANNING),
    ("工作进展", Topic.WORK_REPORT),
    ("政府工作报告", Topic.WORK_REPORT),
    ("议案", Topic.WORK_REPORT),
    ("提案", Topic.WORK_REPORT),
    ("信息公开年报", Topic.OPENNESS),
    ("信息公开指南", Topic.OPENNESS),
    ("社会保险", Topic.SOCIAL_ASSISTANCE),
    ("低保", Topic.SOCIAL_ASSISTANCE),
    ("救助", Topic.SOCIAL_ASSISTANCE),
    ("教育", Topic.EDUCATION),
    ("养老", Topic.ELDERLY),
    ("医疗卫生", Topic.HEALTH),
    ("就业", Topic.EMPLOYMENT),
    ("涉农", Topic.AGRICULTURE),
    ("乡村振兴", Topic.AGRICULTURE),
    ("应急", Topic.EMERGENCY),
    ("公示公告", Topic.NOTICE),
]


def channel_topic(channel: str) -> str:
    for needle, topic in CHANNEL_TOPICS:
        if needle in (channel or ""):
            return topic
    return Topic.OTHER


@dataclass
class ImportRecord:
    line: int
    title: str
    published_at: dt.datetime
    document_number: str
    publisher_label: str
    topic: str
    source_url: str
    body: str
    provenance: dict = field(default_factory=dict)
    source_name: str = ""


@dataclass
class ImportResult:
    records: list[ImportRecord]
    created: int = 0
    dry_run: bool = False


def _fail(number: int, message: str, field: str = "") -> NoReturn:
    raise ValidationError(str(RowError(row=number, column=field, message=message)))


def _parse_line(number: int, raw: str, url_validator: URLValidator) -> ImportRecord:
    """One line as a record; the first problem raises, naming the line and the field."""
    data = _line_data(number, raw)
    title = " ".join(data["title"].split())
    if not title:
        _fail(number, "标题（title）不能为空")
    if len(title) > 300:
        _fail(number, "标题（title）超过300个字")
    published = _published_at(number, data["published_at"])
    provenance = _provenance(number, data)
    source_url = _source_url(number, (data.get("source_url") or "").strip(), url_validator)
    document_number = " ".join((data.get("document_number") or "").split()) or " ".join(
        str(provenance.get("document_number_in_body") or "").split()
    )
    if len(document_number) > 100:
        _fail(number, "发文字号（document_number）超过100个字")
    channel = (data.get("channel") or "").strip()
    return ImportRecord(
        line=number,
        title=title,
        published_at=published,
        document_number=document_number,
        publisher_label=" ".join((data.get("publisher") or "").split())[:200],
        topic=channel_topic(channel),
        source_url=source_url,
        body=data["body"],
        provenance={**provenance, "channel": channel, "truncated": bool(data.get("truncated"))},
        source_name=" ".join((data.get("source") or "").split()),
    )


def _line_data(number: int, raw: str) -> dict[str, Any]:
    """The line's JSON object, with the required fields present and no field oversized."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        _fail(number, f"不是有效的JSON（{exc.msg}，第{exc.colno}列）")
    if not isinstance(data, dict):
        _fail(number, "每行应是一个JSON对象")
    for key in REQUIRED:
        if key not in data:
            _fail(number, f"缺少字段“{key}”")
    for key in TEXT_FIELDS:
        if data.get(key) is not None and not isinstance(data[key], str):
            _fail(number, f"字段“{key}”应为文字")
    if len(data["body"]) > BODY_MAX_CHARS:
        _fail(number, f"正文超过{BODY_MAX_CHARS}个字（现有{len(data['body'])}个字）", "body")
    if len(data.get("source") or "") > SOURCE_MAX_CHARS:
        _fail(number, f"来源超过{SOURCE_MAX_CHARS}个字", "source")
    if len(data.get("channel") or "") > CHANNEL_MAX_CHARS:
        _fail(number, f"栏目超过{CHANNEL_MAX_CHARS}个字", "channel")
    for key in ("published_at", "document_number", "source_url", "publisher"):
        if len(data.get(key) or "") > 1000:
            _fail(number, f"“{key}”超过1000个字，不是正常的内容", key)
    return data


def _published_at(number: int, value: str) -> dt.datetime:
    """The publication time; one without a zone is Beijing time."""
    try:
        published = dt.datetime.fromisoformat(value)
    except ValueError:
        _fail(number, f"发布时间（published_at）“{shorten(value)}”不是 YYYY-MM-DDTHH:MM 格式")
    if published.tzinfo is None:
        published = published.replace(tzinfo=SOURCE_ZONE)
    if not 1990 <= published.year <= 2100:
        _fail(number, "发布时间（published_at）的年份不合理")
    return published


def _provenance(number: int, data: dict[str, Any]) -> dict:
    provenance = data.get("provenance") or {}
    if not isinstance(provenance, dict):
        _fail(number, "来源信息（provenance）应为JSON对象")
    if len(json.dumps(provenance, ensure_ascii=False)) > PROVENANCE_MAX_CHARS:
        _fail(number, f"来源信息超过{PROVENANCE_MAX_CHARS}个字", "provenance")
    if data.get("truncated") not in (None, False, True):
        _fail(number, "字段“truncated”应为 true 或 false")
    return provenance


def _source_url(number: int, source_url: str, url_validator: URLValidator) -> str:
    """The original's address: empty, or a safe absolute http(s) link of 500 characters at most."""
    if source_url:
        try:
            url_validator(source_url)
        except ValidationError:
            _fail(number, f"原文链接（source_url）“{shorten(source_url)}”不是有效的网址")
        if problem := link_problem(source_url, absolute=True):
            _fail(number, f"原文链接（source_url）{problem}")
        if len(source_url) > 500:
            _fail(number, "原文链接（source_url）超过500个字符")
    return source_url


def _numbered(lines) -> Iterator[Line]:
    for number, item in enumerate(lines, start=1):
        yield item if isinstance(item, Line) else Line(number, item)


def parse_publications(lines) -> list[ImportRecord]:
    """Every line parsed, or a ValidationError listing every bad line (by line number).
    ``lines``: strings, or the ``Line``s of ``jsonl_lines`` (read from a file as needed)."""
    url_validator = URLValidator(schemes=["http", "https"])
    records, errors = [], []
    seen: dict[str, int] = {}
    for line in _numbered(lines):
        number, raw = line.number, line.text
        if line.error is not None:
            errors.append(str(line.error))
            continue
        if not raw.strip():
            continue
        try:
            record = _parse_line(number, raw, url_validator)
        except ValidationError as exc:
            errors.extend(exc.messages)
            continue
        if record.source_url and record.source_url in seen:
            errors.append(f"第{number}行：原文链接与第{seen[record.source_url]}行重复")
            continue
        if record.source_url:
            seen[record.source_url] = number
        records.append(record)
    if not records and not errors:
        errors.append("文件中没有任何记录")
    if errors:
        raise ValidationError(errors)
    return records


@transaction.atomic
def publications_import(
    *, actor=IMPORT_ACTOR, lines, publisher: OrgUnit, dry_run: bool = False, source: str = ""
) -> ImportResult:
    """Import published records for ``publisher``: proactive, published at their own
    date, with new index numbers. All or nothing; ``dry_run`` checks without writing.
    ``source`` is the 来源 of lines that name none (see the module)."""
    records = parse_publications(lines)
    source = " ".join(source.split())[:SOURCE_MAX_CHARS]
    for record in records:
        record.source_name = record.source_name or source
    _refuse_imported_before(records)
    if not publisher.is_active:
        raise ValidationError({"publisher": f"“{publisher.name}”已撤销"})
    result = ImportResult(records=records, dry_run=dry_run)
    if dry_run:
        return result
    created = []
    label = actor if isinstance(actor, str) else actor.get_username()
    for record in sorted(records, key=lambda r: (r.published_at, r.line)):
        pub = _publication_create(record, publisher=publisher, actor=actor, label=label)
        created.append(pub.pk)
    result.created = len(created)
    transaction.on_commit(lambda: publications_index(ids=created))
    return result


def _refuse_imported_before(records: list[ImportRecord]) -> None:
    """A record whose original was imported before refuses the file, naming the line."""
    urls = [r.source_url for r in records if r.source_url]
    existing = dict(Publication.objects.filter(source_url__in=urls).values_list("source_url", "pk"))
    clashes = [
        f"第{r.line}行：原文链接已导入过（编号{existing[r.source_url]}）"
        for r in records
        if r.source_url in existing
    ]
    if clashes:
        raise ValidationError(clashes)


def _publication_create(
    record: ImportRecord, *, publisher: OrgUnit, actor: Any, label: str
) -> Publication:
    """One record published with a new index number, its first revision and an audit row."""
    body = text_to_html(record.body)
    pub = Publication.objects.create(
        publisher=publisher,
        publisher_label=record.publisher_label,
        title=record.title,
        body=body,
        body_text=html_to_text(body),
        document_number=record.document_number,
        topic=record.topic,
        # The portal's 行政规范性文件 channel is the only kind a source page states.
        document_kind=(
            DocumentKind.NORMATIVE if record.topic == Topic.NORMATIVE else DocumentKind.OTHER
        ),
        attribute=DisclosureAttribute.PROACTIVE,
        status=PublicationStatus.PUBLISHED,
        publish_at=record.published_at,
        written_on=record.published_at.astimezone(SOURCE_ZONE).date(),
        index_number=allocate_index_number(
            publisher, record.published_at.astimezone(SOURCE_ZONE).year
        ),
        source_name=record.source_name,
        source_url=record.source_url,
        provenance=record.provenance,
    )
    PublicationRevision.objects.create(
        publication=pub,
        number=1,
        content={"title": pub.title, "index_number": pub.index_number, "imported": True},
        published_at=pub.publish_at,
        actor_label=label,
    )
    audit_record(
        actor=actor,
        action="publication.import",
        obj=pub,
        changes={
            "index_number": [None, pub.index_number],
            "source_url": [None, pub.source_url],
            "source_name": [None, pub.source_name],
        },
        note=f"导入文件第{record.line}行",
    )
    return pub


def publications_import_file(*, path: str | Path, publisher: OrgUnit, **kwargs) -> ImportResult:
    """Import a JSON Lines file, read line by line (see ``publications_import``)."""
    try:
        with Path(path).open("rb") as fh:
            return publications_import(lines=jsonl_lines(fh), publisher=publisher, **kwargs)
    except OSError as exc:
        raise ValidationError(f"无法读取文件：{exc.strerror}") from exc


def publications_index(*, ids) -> None:
    for pub in Publication.objects.filter(pk__in=ids).select_related(
        "publisher", "directory_entry"
    ):
        indexing.index_publication(pub)
