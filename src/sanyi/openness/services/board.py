"""The community notice board (公开栏): officers post a notice from the phone, residents
subscribe to a board and hear of what is published on it.

A board notice is a ``Publication`` of the community or grid unit with a ``BoardNotice``
row beside it. It is drafted and sent for the confidentiality check here in one step, then
reviewed and published with the ordinary publication services, by another disclosure
officer of the community (``publication_review`` refuses everyone who drafted or sent it).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor, is_user
from sanyi.core.images import open_picture, without_metadata
from sanyi.notify.services import notify_applicant
from sanyi.openness.choices import FiveKind, PublicationStatus, Topic
from sanyi.openness.files import PICTURE_TYPES, check_upload
from sanyi.openness.models import (
    BoardChannel,
    BoardNotice,
    BoardSubscription,
    DirectoryEntry,
    Publication,
)
from sanyi.openness.services._common import text_to_html
from sanyi.openness.services.drafting import _create, publication_submit
from sanyi.orgs.models import OrgKind, OrgUnit, Role
from sanyi.orgs.permissions import has_role

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant

BOARD_KINDS = (OrgKind.COMMUNITY, OrgKind.GRID)
BOARD_FIVE_KINDS = (FiveKind.SERVICE, FiveKind.RESULT)
NOTICE_EVENT = "openness.board_notice"
PICTURE_MAX_SIDE = 1600
THUMB_MAX_SIDE = 480


def may_post(actor: Actor, unit: OrgUnit) -> bool:
    """The unit's disclosure officers, and a grid's own grid officers, post to its board."""
    if not is_user(actor) or unit.kind not in BOARD_KINDS:
        return False
    if has_role(actor, Role.DISCLOSURE_OFFICER, unit):
        return True
    return unit.kind == OrgKind.GRID and has_role(actor, Role.GRID_OFFICER, unit)


def require_poster(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        return
    if not may_post(actor, unit):
        raise PermissionDenied(f"您不能在“{unit.name}”的公开栏发布信息")


def _pictures(uploaded: UploadedFile) -> tuple[bytes, bytes]:
    """The picture and its thumbnail, re-encoded (turned upright, metadata dropped)."""
    uploaded.seek(0)
    image = open_picture(uploaded.read(), field="picture", label="图片")
    return (
        without_metadata(image, fmt="JPEG", max_side=PICTURE_MAX_SIDE),
        without_metadata(image, fmt="JPEG", max_side=THUMB_MAX_SIDE),
    )


def _clean_post(unit: OrgUnit, text: str, expires_on: dt.date | None, five_kind: str) -> None:
    errors: dict[str, str] = {}
    if unit.kind not in BOARD_KINDS or not unit.is_active:
        errors["unit"] = "公开栏只属于在用的社区/村或网格"
    if not (text or "").strip():
        errors["text"] = "请填写公开内容"
    elif len(text) > 5000:
        errors["text"] = "公开内容不能超过5000个字"
    if expires_on is None:
        errors["expires_on"] = "请填写有效期至哪一天"
    elif expires_on < timezone.localdate():
        errors["expires_on"] = "有效期不能早于今天"
    if five_kind not in BOARD_FIVE_KINDS:
        errors["five_kind"] = "公开栏只发布服务公开或结果公开的信息"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def board_notice_post(
    *,
    actor: Actor,
    unit: OrgUnit,
    title: str,
    text: str,
    expires_on: dt.date | None,
    picture: UploadedFile | None = None,
    five_kind: str = FiveKind.SERVICE,
    directory_entry: DirectoryEntry | None = None,
) -> BoardNotice:
    """A notice drafted and sent for the confidentiality check, all or nothing. With a
    directory entry (of the unit or a unit above it) the timeliness rules count its limit
    from today, as for any publication of that entry."""
    require_poster(actor, unit)
    _clean_post(unit, text, expires_on, five_kind)
    assert expires_on is not None
    if directory_entry is not None and (
        directory_entry.five_kind not in BOARD_FIVE_KINDS
        or not unit.path.startswith(directory_entry.org_unit.path)
    ):
        raise ValidationError(
            {"directory_entry": "请选择本社区（或上级）服务公开、结果公开的目录事项"}
        )
    pub = _create(
        actor=actor,
        publisher=unit,
        title=title,
        body=text_to_html(text),
        topic=Topic.NOTICE,
        formed_on=timezone.localdate(),
        directory_entry=directory_entry,
    )
    notice = BoardNotice(publication=pub, unit=unit, five_kind=five_kind, expires_on=expires_on)
    changes: dict[str, list] = {"expires_on": [None, expires_on.isoformat()]}
    if picture is not None:
        checked = check_upload(picture, allowed=PICTURE_TYPES, field="picture")
        full, thumb = _pictures(picture)
        name = checked.sha256[:16]
        notice.picture.save(f"{name}.jpg", ContentFile(full), save=False)
        notice.thumbnail.save(f"{name}-t.jpg", ContentFile(thumb), save=False)
        changes["picture"] = [None, checked.sha256]
    notice.save()
    audit_record(actor=actor, action="board.post", obj=pub, changes=changes)
    notice.publication = publication_submit(actor=actor, publication=pub, authorise=require_poster)
    return notice


def board_subscribe(
    *, actor: Actor, applicant: Applicant, unit: OrgUnit, sms: bool = False
) -> BoardSubscription:
    """Subscribe (or change how to be told); the applicant acts for themself."""
    if unit.kind not in BOARD_KINDS or not unit.is_active:
        raise ValidationError({"unit": "只能订阅社区/村或网格的公开栏"})
    channel = BoardChannel.SMS if sms else BoardChannel.INBOX
    with transaction.atomic():
        sub, created = BoardSubscription.objects.select_for_update().get_or_create(
            applicant=applicant, unit=unit, defaults={"channel": channel}
        )
        if not created and sub.channel == channel:
            return sub
        before = None if created else sub.channel
        if not created:
            sub.channel = channel
            sub.save(update_fields=["channel"])
        audit_record(
            actor=actor,
            action="board.subscribe",
            obj=unit,
            changes={"channel": [before, channel], "applicant": [None, applicant.pk]},
        )
    return sub


def board_unsubscribe(*, actor: Actor, applicant: Applicant, unit: OrgUnit) -> bool:
    """Whether there was a subscription to remove."""
    with transaction.atomic():
        deleted, _ = BoardSubscription.objects.filter(applicant=applicant, unit=unit).delete()
        if deleted:
            audit_record(
                actor=actor,
                action="board.unsubscribe",
                obj=unit,
                changes={"applicant": [applicant.pk, None]},
            )
    return bool(deleted)


def board_notify_published(pub: Publication) -> int:
    """Tell the subscribers of the notice's board, and of the community above a grid, once
    each (the dedupe key makes a repeat call send nothing). Runs in the publish step's
    transaction. Returns how many messages were written."""
    notice = BoardNotice.objects.filter(publication=pub).select_related("unit").first()
    if notice is None or pub.status != PublicationStatus.PUBLISHED:
        return 0
    units = [notice.unit_id]
    if notice.unit.kind == OrgKind.GRID and notice.unit.parent_id:
        units.append(notice.unit.parent_id)
    subs = (
        BoardSubscription.objects.filter(unit_id__in=units)
        .select_related("applicant")
        .order_by("applicant_id", "pk")
    )
    link = reverse("openness:publication", args=[pub.pk])
    written = 0
    seen: set[int] = set()
    for sub in subs:
        if sub.applicant_id in seen:
            continue
        seen.add(sub.applicant_id)
        written += len(
            notify_applicant(
                applicant=sub.applicant,
                event=NOTICE_EVENT,
                subject=f"{notice.unit.name}公开栏：{pub.title}"[:200],
                body=f"有效期至{notice.expires_on:%Y年%m月%d日}。",
                link=link,
                obj=pub,
                dedupe_key=f"board:{pub.pk}",
                email="",
                phone=None if sub.channel == BoardChannel.SMS else "",
            )
        )
    return written
