"""Writing directories, the negative list and publications.

Every function names its actor and writes an audit row in the same transaction; search
indexing and scheduled tasks run on commit. A staff actor must hold the disclosure
officer role on the unit concerned; a string actor ("系统：导入") is the system itself.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

import nh3
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import linebreaks, strip_tags

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor, actor_label, actor_user, is_user
from sanyi.core.links import link_problem
from sanyi.core.transitions import locked, require_status
from sanyi.openness import indexing
from sanyi.openness.choices import (
    Audience,
    Channel,
    ContentNature,
    DisclosureAttribute,
    DisclosureMode,
    DocumentKind,
    FiveKind,
    InterpretationKind,
    Level,
    LimitTrigger,
    LimitUnit,
    NonDisclosureGround,
    PublicationStatus,
    Topic,
    Validity,
)
from sanyi.openness.files import ATTACHMENT_TYPES, PICTURE_TYPES, check_upload
from sanyi.openness.models import (
    Area,
    Attachment,
    DirectoryEntry,
    IndexCounter,
    Interpretation,
    NegativeListEntry,
    Publication,
    PublicationRevision,
)
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

# Which org-unit kinds may be the responsible body of a directory at each level.
LEVEL_KINDS = {
    Level.DISTRICT: {OrgKind.DISTRICT, OrgKind.DEPARTMENT},
    Level.SUBDISTRICT: {OrgKind.SUBDISTRICT, OrgKind.STATION},
    Level.COMMUNITY: {OrgKind.COMMUNITY},
}

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote", "a", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize_html(value: str) -> str:
    """Rich text reduced to plain formatting: no scripts, styles, handlers or images."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    ).strip()


def text_to_html(value: str) -> str:
    """Plain text (an imported page) as escaped paragraphs."""
    return linebreaks(value or "", autoescape=True)


def html_to_text(value: str) -> str:
    return html.unescape(strip_tags(value or "")).strip()


def _require_officer(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        return
    if not has_role(actor, Role.DISCLOSURE_OFFICER, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的政务公开专员，不能办理此操作")


# Directory --------------------------------------------------------------------------------

ENTRY_FIELDS = [
    "area", "level", "org_unit", "sequence", "item_l1", "item_l2", "content_elements",
    "basis", "time_limit_days", "time_limit_unit", "time_limit_trigger", "time_limit_text",
    "channels", "audience", "mode", "five_kind", "nature", "is_active",
]  # fmt: skip


def _choice(
    errors: dict[str, str], field: str, value: Any, choices: Iterable[Any], label: str
) -> None:
    if value not in choices.values:
        errors[field] = f"{label}“{value}”不是有效的选项"


def _clean_entry(entry: DirectoryEntry) -> None:
    errors: dict[str, str] = {}
    for field, label in (
        ("item_l1", "一级公开事项"),
        ("item_l2", "二级公开事项"),
        ("content_elements", "公开内容（要素）"),
        ("basis", "公开依据"),
        ("time_limit_text", "公开时限"),
    ):
        value = (
            " ".join(str(getattr(entry, field) or "").split())
            if field.startswith("item")
            else str(getattr(entry, field) or "").strip()
        )
        setattr(entry, field, value)
        if not value:
            errors[field] = f"{label}不能为空"
    for field, limit in (("item_l1", 100), ("item_l2", 100), ("time_limit_text", 200)):
        if len(getattr(entry, field)) > limit and field not in errors:
            errors[field] = f"不能超过{limit}个字"
    _choice(errors, "level", entry.level, Level, "公开层级")
    _choice(errors, "time_limit_unit", entry.time_limit_unit, LimitUnit, "时限单位")
    _choice(errors, "time_limit_trigger", entry.time_limit_trigger, LimitTrigger, "起算情形")
    _choice(errors, "audience", entry.audience, Audience, "公开对象")
    _choice(errors, "mode", entry.mode, DisclosureMode, "公开方式")
    _choice(errors, "five_kind", entry.five_kind, FiveKind, "五公开类别")
    _choice(errors, "nature", entry.nature, ContentNature, "信息性质")
    if entry.time_limit_days is not None and not 0 < int(entry.time_limit_days) <= 365:
        errors["time_limit_days"] = "公开时限天数应在1到365之间"
    channels = list(dict.fromkeys(entry.channels or []))
    unknown = [c for c in channels if c not in Channel.values]
    if not channels:
        errors["channels"] = "请至少选择一个公开渠道和载体"
    elif unknown:
        errors["channels"] = f"公开渠道“{'、'.join(unknown)}”不在官方清单中"
    entry.channels = channels
    if entry.org_unit_id and entry.level in Level.values:
        if entry.org_unit.kind not in LEVEL_KINDS[entry.level]:
            errors["org_unit"] = (
                f"“{entry.org_unit.name}”（{entry.org_unit.display_kind}）"
                f"不能作为{Level(entry.level).label}目录的公开主体"
            )
        elif not entry.org_unit.is_active:
            errors["org_unit"] = f"“{entry.org_unit.name}”已撤销"
    duplicate = DirectoryEntry.objects.filter(
        org_unit_id=entry.org_unit_id,
        area_id=entry.area_id,
        item_l1=entry.item_l1,
        item_l2=entry.item_l2,
    ).exclude(pk=entry.pk)
    if "item_l2" not in errors and duplicate.exists():
        errors["item_l2"] = "本单位目录中已有同名的公开事项"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def area_create(*, actor: Actor, code: str, name: str, sort_order: int = 1000) -> Area:
    """A custom area beside the 26 pilot areas."""
    code, name = (code or "").strip(), " ".join((name or "").split())
    errors = {}
    if not code or len(code) > 20:
        errors["code"] = "领域编号不能为空，且不超过20个字符"
    elif Area.objects.filter(code=code).exists():
        errors["code"] = f"领域编号“{code}”已存在"
    if not name or len(name) > 50:
        errors["name"] = "领域名称不能为空，且不超过50个字"
    elif Area.objects.filter(name=name).exists():
        errors["name"] = f"领域“{name}”已存在"
    if errors:
        raise ValidationError(errors)
    area = Area.objects.create(code=code, name=name, is_pilot=False, sort_order=sort_order)
    audit_record(
        actor=actor,
        action="openness_area.create",
        obj=area,
        changes={"code": [None, code], "name": [None, name]},
    )
    return area


@transaction.atomic
def directory_entry_create(
    *, actor: Actor, org_unit: OrgUnit, area: Area, **fields: Any
) -> DirectoryEntry:
    _require_officer(actor, org_unit)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    entry = DirectoryEntry(org_unit=org_unit, area=area, **fields)
    _clean_entry(entry)
    entry.save()
    audit_record(
        actor=actor,
        action="directory_entry.create",
        obj=entry,
        changes={k: [None, v] for k, v in snapshot(entry, ENTRY_FIELDS).items()},
    )
    return entry


@transaction.atomic
def directory_entry_update(*, actor: Actor, entry: DirectoryEntry, **fields: Any) -> DirectoryEntry:
    entry = (
        DirectoryEntry.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=entry.pk)
    )
    _require_officer(actor, entry.org_unit)
    unknown = set(fields) - set(ENTRY_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(entry, ENTRY_FIELDS)
    for name, value in fields.items():
        setattr(entry, name, value)
    if "org_unit" in fields:
        _require_officer(actor, entry.org_unit)
    _clean_entry(entry)
    changes = diff(before, snapshot(entry, ENTRY_FIELDS))
    if changes:
        entry.save()
        audit_record(actor=actor, action="directory_entry.update", obj=entry, changes=changes)
    return entry


NEGATIVE_FIELDS = ["org_unit", "area", "title", "description", "ground", "basis", "is_active"]


def _clean_negative(item: NegativeListEntry) -> None:
    errors = {}
    item.title = " ".join((item.title or "").split())
    if not item.title or len(item.title) > 200:
        errors["title"] = "不予公开的事项不能为空，且不超过200个字"
    elif (
        NegativeListEntry.objects.filter(org_unit_id=item.org_unit_id, title=item.title)
        .exclude(pk=item.pk)
        .exists()
    ):
        errors["title"] = "本单位负面清单中已有同名事项"
    if item.ground not in NonDisclosureGround.values:
        errors["ground"] = "请选择不予公开的法定依据（条例第十四、十五、十六条）"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def negative_entry_create(
    *, actor: Actor, org_unit: OrgUnit, title: str, ground: str, **fields: Any
) -> NegativeListEntry:
    _require_officer(actor, org_unit)
    item = NegativeListEntry(org_unit=org_unit, title=title, ground=ground, **fields)
    _clean_negative(item)
    item.save()
    audit_record(
        actor=actor,
        action="negative_entry.create",
        obj=item,
        changes={k: [None, v] for k, v in snapshot(item, NEGATIVE_FIELDS).items()},
    )
    return item


@transaction.atomic
def negative_entry_update(
    *, actor: Actor, item: NegativeListEntry, **fields: Any
) -> NegativeListEntry:
    item = (
        NegativeListEntry.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=item.pk)
    )
    _require_officer(actor, item.org_unit)
    before = snapshot(item, NEGATIVE_FIELDS)
    for name, value in fields.items():
        if name not in NEGATIVE_FIELDS or name == "org_unit":
            raise TypeError(f"field {name} cannot be changed")
        setattr(item, name, value)
    _clean_negative(item)
    changes = diff(before, snapshot(item, NEGATIVE_FIELDS))
    if changes:
        item.save()
        audit_record(actor=actor, action="negative_entry.update", obj=item, changes=changes)
    return item


# Publications -----------------------------------------------------------------------------

DRAFT_FIELDS = [
    "title", "body", "written_on", "formed_on", "document_number", "topic", "document_kind",
    "validity",
    "validity_changed_on", "keywords", "attribute", "non_disclosure_ground",
    "negative_entry", "directory_entry", "publisher_label",
]  # fmt: skip
AUDIT_FIELDS = [*DRAFT_FIELDS, "publisher", "status", "publish_at", "index_number"]


def _clean_publication(pub: Publication) -> None:
    errors: dict[str, str] = {}
    pub.title = " ".join((pub.title or "").split())
    if not pub.title:
        errors["title"] = "标题不能为空"
    elif len(pub.title) > 300:
        errors["title"] = "标题不能超过300个字"
    pub.body = sanitize_html(pub.body)
    pub.body_text = html_to_text(pub.body)
    pub.document_number = " ".join((pub.document_number or "").split())
    if len(pub.document_number) > 100:
        errors["document_number"] = "发文字号不能超过100个字"
    pub.keywords = " ".join((pub.keywords or "").replace("，", " ").replace(",", " ").split())
    if len(pub.keywords) > 200:
        errors["keywords"] = "关键词合计不能超过200个字"
    pub.publisher_label = " ".join((pub.publisher_label or "").split())[:200]
    _choice(errors, "topic", pub.topic, Topic, "主题分类")
    _choice(errors, "document_kind", pub.document_kind, DocumentKind, "文件类型")
    _choice(errors, "attribute", pub.attribute, DisclosureAttribute, "公开属性")
    _choice(errors, "validity", pub.validity, Validity, "有效性")
    if pub.validity == Validity.VALID:
        pub.validity_changed_on = None
    elif pub.validity_changed_on is None:
        errors["validity_changed_on"] = "失效或废止的信息须填写失效/废止日期"
    if pub.attribute == DisclosureAttribute.NOT_DISCLOSED:
        if pub.non_disclosure_ground not in NonDisclosureGround.values:
            errors["non_disclosure_ground"] = "不予公开的信息须选择法定依据"
    else:
        pub.non_disclosure_ground = ""
        pub.negative_entry = None
    if pub.written_on and pub.written_on > timezone.localdate() + dt.timedelta(days=366):
        errors["written_on"] = "成文日期不合理"
    if pub.directory_entry_id and not pub.directory_entry.is_active:
        errors["directory_entry"] = "所选公开目录事项已停用"
    if not pub.publisher.is_active:
        errors["publisher"] = f"“{pub.publisher.name}”已撤销，不能发布信息"
    if errors:
        raise ValidationError(errors)


def _locked(publication: Publication) -> Publication:
    return locked(
        Publication, publication.pk, related=("publisher", "directory_entry"), of=("self",)
    )


def _require_status(pub: Publication, *statuses: str, doing: str) -> None:
    require_status(pub, statuses, lambda p: f"“{p.get_status_display()}”状态的信息不能{doing}")


@transaction.atomic
def publication_create(
    *, actor: Actor, publisher: OrgUnit, title: str, body: str = "", **fields: Any
) -> Publication:
    """A draft. ``body`` is rich text and is sanitised here."""
    _require_officer(actor, publisher)
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    pub = Publication(
        publisher=publisher, title=title, body=body, created_by=actor_user(actor), **fields
    )
    _clean_publication(pub)
    pub.save()
    audit_record(
        actor=actor,
        action="publication.create",
        obj=pub,
        changes={
            k: [None, v] for k, v in snapshot(pub, AUDIT_FIELDS).items() if v not in ("", None)
        },
    )
    return pub


@transaction.atomic
def publication_update(*, actor: Actor, publication: Publication, **fields: Any) -> Publication:
    """Change a draft (a returned record is a draft again)."""
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    _require_status(pub, PublicationStatus.DRAFT, doing="修改")
    unknown = set(fields) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    before = snapshot(pub, AUDIT_FIELDS)
    for name, value in fields.items():
        setattr(pub, name, value)
    _clean_publication(pub)
    changes = diff(before, snapshot(pub, AUDIT_FIELDS))
    if changes:
        pub.save()
        audit_record(actor=actor, action="publication.update", obj=pub, changes=changes)
    return pub


@transaction.atomic
def publication_attachment_add(
    *, actor: Actor, publication: Publication, uploaded: UploadedFile
) -> Attachment:
    """Attach a PDF, Word, Excel, JPG or PNG file to a draft."""
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    _require_status(pub, PublicationStatus.DRAFT, doing="添加附件")
    checked = check_upload(uploaded, allowed=ATTACHMENT_TYPES, field="attachment")
    name = (uploaded.name or f"附件.{checked.extension}").rsplit("/", 1)[-1][:200]
    attachment = Attachment(
        publication=pub,
        original_name=name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        sort_order=pub.attachments.count(),
    )
    # Stored under a neutral name: the original name is kept for display only.
    attachment.file.save(f"{checked.sha256[:16]}.{checked.extension}", uploaded, save=False)
    attachment.save()
    audit_record(
        actor=actor,
        action="publication.attachment_add",
        obj=pub,
        changes={"attachment": [None, name], "sha256": [None, checked.sha256]},
    )
    return attachment


@transaction.atomic
def interpretation_create(
    *,
    actor: Actor,
    policy: Publication,
    kind: str,
    title: str,
    text: str = "",
    picture: UploadedFile | None = None,
    video_url: str = "",
) -> Interpretation:
    """A plain-language interpretation of a policy; it shows when the policy is public."""
    pub = _locked(policy)
    _require_officer(actor, pub.publisher)
    errors = {}
    title = " ".join((title or "").split())
    if not title or len(title) > 200:
        errors["title"] = "解读标题不能为空，且不超过200个字"
    if kind not in InterpretationKind.values:
        errors["kind"] = "请选择解读形式（文字、图片或视频）"
    text = sanitize_html(text)
    if kind == InterpretationKind.TEXT and not html_to_text(text):
        errors["text"] = "文字解读须填写解读内容"
    if kind == InterpretationKind.PICTURE and picture is None:
        errors["picture"] = "图片解读须上传图片"
    video_url = (video_url or "").strip()
    if kind == InterpretationKind.VIDEO and not video_url.startswith("https://"):
        errors["video_url"] = "视频解读须填写以 https:// 开头的视频地址"
    elif problem := link_problem(video_url, absolute=True):
        # Any kind may carry a video link, and the public page renders it as a link.
        errors["video_url"] = f"视频地址{problem}"
    if pub.status == PublicationStatus.REVOKED:
        errors["policy"] = "已撤销的文件不能添加解读"
    if errors:
        raise ValidationError(errors)
    item = Interpretation(
        policy=pub, kind=kind, title=title, text=text, video_url=video_url or "",
        sort_order=pub.interpretations.count(),
    )  # fmt: skip
    if picture is not None:
        checked = check_upload(picture, allowed=PICTURE_TYPES, field="picture")
        item.picture.save(f"{checked.sha256[:16]}.{checked.extension}", picture, save=False)
    item.save()
    audit_record(
        actor=actor,
        action="interpretation.create",
        obj=item,
        changes={"policy": [None, pub.pk], "kind": [None, kind], "title": [None, title]},
    )
    return item


@transaction.atomic
def publication_submit(*, actor: Actor, publication: Publication) -> Publication:
    """Send a draft to the confidentiality check (保密审查)."""
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    _require_status(pub, PublicationStatus.DRAFT, doing="提交审查")
    pub.status = PublicationStatus.IN_REVIEW
    pub.submitted_by = actor_user(actor)
    pub.save(update_fields=["status", "submitted_by", "updated_at"])
    audit_record(
        actor=actor,
        action="publication.submit",
        obj=pub,
        changes={"status": [PublicationStatus.DRAFT, PublicationStatus.IN_REVIEW]},
    )
    return pub


@transaction.atomic
def publication_review(
    *,
    actor: Actor,
    publication: Publication,
    approve: bool,
    comment: str = "",
    now: datetime | None = None,
) -> Publication:
    """The confidentiality check by a second person: approve, or return to draft."""
    pub = _locked(publication)
    _require_status(pub, PublicationStatus.IN_REVIEW, doing="审查")
    if not is_user(actor):
        raise PermissionDenied("保密审查须由政务公开专员本人办理")
    _require_officer(actor, pub.publisher)
    if actor.pk in {pub.created_by_id, pub.submitted_by_id}:
        raise PermissionDenied("保密审查须由起草、提交人以外的另一名政务公开专员办理")
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": "退回时请写明审查意见"})
    new_status = PublicationStatus.APPROVED if approve else PublicationStatus.DRAFT
    before = pub.status
    pub.status = new_status
    pub.reviewed_by = actor
    pub.reviewed_at = now or timezone.now()
    pub.review_comment = comment[:2000]
    pub.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_comment", "updated_at"])
    audit_record(
        actor=actor,
        action="publication.approve" if approve else "publication.return",
        obj=pub,
        changes={"status": [before, new_status]},
        note=comment,
    )
    return pub


def _index_prefix(publisher: OrgUnit) -> str:
    """The publisher's USCC, or that of its nearest ancestor (communities carry none)."""
    if publisher.uscc:
        return publisher.uscc
    ancestors = OrgUnit.objects.filter(pk__in=publisher.ancestor_ids).exclude(uscc="")
    nearest = ancestors.order_by("-depth").values_list("uscc", flat=True).first()
    if not nearest:
        raise ValidationError(
            {"publisher": f"“{publisher.name}”及其上级单位都没有统一社会信用代码，无法生成索引号"}
        )
    return nearest


def allocate_index_number(publisher: OrgUnit, year: int) -> str:
    """The next ``prefix/yyyy-nnnnn``; must run inside the caller's transaction."""
    prefix = _index_prefix(publisher)
    counter, _ = IndexCounter.objects.select_for_update().get_or_create(prefix=prefix, year=year)
    counter.last += 1
    if counter.last > 99999:
        raise ValidationError({"index_number": f"{year}年的索引号已用完（最多99999个）"})
    counter.save(update_fields=["last"])
    return f"{prefix}/{year}-{counter.last:05d}"


def _revision(pub: Publication, actor: Actor) -> None:
    number = pub.revisions.count() + 1
    content = snapshot(pub, AUDIT_FIELDS)
    content["attachments"] = [
        {"name": a.original_name, "sha256": a.sha256} for a in pub.attachments.all()
    ]
    PublicationRevision.objects.create(
        publication=pub,
        number=number,
        content=content,
        published_at=pub.publish_at,
        actor_label=actor_label(actor, username=True),
    )


def _enqueue_due_task(pub: Publication) -> None:
    from django_tasks import default_task_backend

    from sanyi.openness.tasks import publication_mark_due

    if default_task_backend.supports_defer:
        publication_mark_due.using(run_after=pub.publish_at).enqueue(pub.pk)


@transaction.atomic
def publication_publish(
    *,
    actor: Actor,
    publication: Publication,
    at: dt.datetime | None = None,
    now: datetime | None = None,
) -> Publication:
    """Publish an approved proactive record now, or schedule it for ``at``.

    A scheduled record becomes public by itself when its time comes (the public selector
    compares ``publish_at`` with the clock); a task then marks it published for the trail.
    """
    now = now or timezone.now()
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    _require_status(pub, PublicationStatus.APPROVED, doing="发布")
    if pub.attribute != DisclosureAttribute.PROACTIVE:
        raise ValidationError(
            {"attribute": f"“{pub.get_attribute_display()}”的信息不能在网站上主动公开"}
        )
    if at is not None and timezone.is_naive(at):
        raise ValidationError({"publish_at": "定时发布时间须带时区"})
    scheduled = at is not None and at > now
    pub.publish_at = at if scheduled else now
    pub.status = PublicationStatus.SCHEDULED if scheduled else PublicationStatus.PUBLISHED
    pub.index_number = pub.index_number or allocate_index_number(
        pub.publisher, timezone.localtime(pub.publish_at).year
    )
    pub.save(update_fields=["publish_at", "status", "index_number", "updated_at"])
    _revision(pub, actor)
    audit_record(
        actor=actor,
        action="publication.schedule" if scheduled else "publication.publish",
        obj=pub,
        changes={
            "status": [PublicationStatus.APPROVED, pub.status],
            "publish_at": [None, pub.publish_at.isoformat()],
            "index_number": [None, pub.index_number],
        },
    )
    transaction.on_commit(lambda: indexing.index_publication(pub))
    if scheduled:
        transaction.on_commit(lambda: _enqueue_due_task(pub))
    return pub


@transaction.atomic
def publication_publish_due(*, actor: str = "系统：定时发布", now: datetime | None = None) -> int:
    """Mark scheduled records whose time has come as published and make them public in
    search. Returns how many. Safe to run at any time, any number of times."""
    now = now or timezone.now()
    due = list(
        Publication.objects.select_for_update(of=("self",))
        .select_related("publisher", "directory_entry")
        .filter(status=PublicationStatus.SCHEDULED, publish_at__lte=now)
    )
    for pub in due:
        pub.status = PublicationStatus.PUBLISHED
        pub.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action="publication.publish_due",
            obj=pub,
            changes={"status": [PublicationStatus.SCHEDULED, PublicationStatus.PUBLISHED]},
        )
        transaction.on_commit(lambda pub=pub: indexing.index_publication(pub))
    return len(due)


@transaction.atomic
def publication_revoke(*, actor: Actor, publication: Publication, reason: str) -> Publication:
    """Withdraw a published or scheduled record from every public surface."""
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    _require_status(pub, PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED, doing="撤销")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明撤销原因"})
    before = pub.status
    pub.status = PublicationStatus.REVOKED
    pub.revoked_at = timezone.now()
    pub.revoke_reason = reason[:2000]
    pub.save(update_fields=["status", "revoked_at", "revoke_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="publication.revoke",
        obj=pub,
        changes={"status": [before, PublicationStatus.REVOKED]},
        note=reason,
    )
    transaction.on_commit(lambda: indexing.unindex_publication(pub.pk))
    return pub


@transaction.atomic
def publication_validity_set(
    *, actor: Actor, publication: Publication, validity: str, on: dt.date | None = None
) -> Publication:
    """Mark a published policy expired or abolished (or valid again), with the date."""
    pub = _locked(publication)
    _require_officer(actor, pub.publisher)
    before = snapshot(pub, ["validity", "validity_changed_on"])
    pub.validity, pub.validity_changed_on = validity, on
    _clean_publication(pub)
    changes = diff(before, snapshot(pub, ["validity", "validity_changed_on"]))
    if changes:
        pub.save(update_fields=["validity", "validity_changed_on", "updated_at"])
        if pub.status in (PublicationStatus.PUBLISHED, PublicationStatus.SCHEDULED):
            _revision(pub, actor)
        audit_record(actor=actor, action="publication.validity", obj=pub, changes=changes)
    return pub


# Timeliness alerts ------------------------------------------------------------------------

OVERDUE_EVENT = "publication.overdue"


@transaction.atomic
def publication_overdue_alert(*, today: dt.date | None = None) -> int:
    """Tell the disclosure officers of each responsible body about its records whose
    publish-by date has passed and that are still not published. One message per record
    and publish-by date, however often this runs (the dedupe key carries the date, so a
    record whose formed date changes is reported again). Returns how many records were
    reported on this run or before."""
    from django.urls import reverse

    from sanyi.notify.services import notify_staff
    from sanyi.openness.selectors import publications_unpublished_past_due

    today = today or timezone.localdate()
    rows = publications_unpublished_past_due(today=today)
    for row in rows:
        pub, entry = row.publication, row.publication.directory_entry
        due = row.due.date.isoformat()
        notify_staff(
            event=OVERDUE_EVENT,
            subject=f"政府信息逾期未公开：{pub.title}",
            body=(
                f"“{pub.title}”（{entry.area.name}／{entry.item_l1}／{entry.item_l2}）"
                f"于{pub.formed_on:%Y年%m月%d日}形成或变更，公开时限“{entry.time_limit_text}”，"
                f"应在{row.due.date:%Y年%m月%d日}前公开，已逾期{row.days_late}天，"
                f"目前状态为“{pub.get_status_display()}”。请尽快办理。"
            ),
            link=reverse("workbench:openness:publication", args=[pub.pk]),
            obj=pub,
            unit=entry.org_unit,
            roles=(Role.DISCLOSURE_OFFICER,),
            dedupe_key=f"publication:{pub.pk}:overdue:{due}",
        )
    return len(rows)
