"""Writing ratings, rectifications and appeals. Every write is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.calendar.selectors import add_workdays
from sanyi.cases.choices import CaseStatus, EventKind
from sanyi.cases.messages import case_title
from sanyi.cases.models import Case, CaseEvent
from sanyi.core.actors import Actor, actor_label, is_user
from sanyi.core.transitions import Step, business_day, transition
from sanyi.notify.services import notify_staff
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role
from sanyi.ratings.choices import (
    CRITERIA,
    AppealStatus,
    RatingChannel,
    RatingLevel,
    RectificationStatus,
    ReturnVisitResult,
)
from sanyi.ratings.models import Rating, RatingAppeal, Rectification

if TYPE_CHECKING:
    from sanyi.orgs.models import OrgUnit, User, Window

RATEABLE_STATUSES = (CaseStatus.CONCLUDED, CaseStatus.DELIVERED)
RECTIFY_ROLES = (Role.APPROVER, Role.SUPERVISOR)


def _day(on: dt.date | None) -> dt.date:
    """The day of a rating or rectification: today by default, never in the future."""
    return business_day(on)


def _clean_rating(
    channel: str, level: int | str, criteria: dict[str, Any] | None
) -> tuple[int, dict[str, int]]:
    errors: dict[str, str] = {}
    if channel not in RatingChannel.values:
        errors["channel"] = "评价渠道不正确"
    try:
        level = int(level)
    except (TypeError, ValueError):
        level = 0
    if level not in RatingLevel.values:
        errors["level"] = "请选择总体评价（1至5）"
    clean: dict[str, int] = {}
    for key, label in CRITERIA.get(channel, ()):
        raw = (criteria or {}).get(key)
        if raw is None or raw == "":
            continue  # criteria are optional: the overall level is what counts
        try:
            value = int(raw)
        except (TypeError, ValueError):
            value = 0
        if value not in RatingLevel.values:
            errors[key] = f"“{label}”的评价应为1至5"
        else:
            clean[key] = value
    unknown = set(criteria or {}) - {key for key, _ in CRITERIA.get(channel, ())}
    if unknown:
        errors["criteria"] = f"该渠道没有这些评价项：{'、'.join(sorted(unknown))}"
    if errors:
        raise ValidationError(errors)
    return level, clean


def _rating_create(
    case: Case,
    *,
    channel: str,
    level: int,
    criteria: dict[str, Any],
    comment: str,
    window: Window | None,
    on: dt.date,
    now: dt.datetime,
) -> Rating:
    """The rating row; a second rating of the same case (a race the lock did not see,
    e.g. two channels at once) is refused by the unique constraint."""
    try:
        with transaction.atomic():
            return Rating.objects.create(
                case=case,
                applicant=case.applicant,
                channel=channel,
                level=level,
                criteria=criteria,
                comment=(comment or "").strip()[:500],
                rated_at=now,
                rated_on=on,
                unit=case.unit,
                handling_unit=case.implementation_item.implementing_unit,
                item=case.implementation_item,
                window=window or case.window,
            )
    except IntegrityError as exc:
        raise ValidationError({"case": "这件事已经评价过了，每件事只能评价一次"}) from exc


def rating_submit(
    *,
    case: Case,
    level: int | str,
    channel: str,
    actor: Actor,
    criteria: dict[str, Any] | None = None,
    comment: str = "",
    window: Window | None = None,
    on: dt.date | None = None,
    now: dt.datetime | None = None,
) -> Rating:
    """Rate a concluded case, once. A rating of 2 or below opens a rectification."""
    level, criteria = _clean_rating(channel, level, criteria)
    on = _day(on)
    now = now or timezone.now()
    with transition(
        Case,
        case.pk,
        actor=actor,
        allowed=RATEABLE_STATUSES,
        refusal="办件办结后才能评价",
        field="case",
        related=("implementation_item",),
        of=("self",),
    ) as step:
        case = step.obj
        if Rating.objects.filter(case=case).exists():
            raise ValidationError({"case": "这件事已经评价过了，每件事只能评价一次"})
        rating = _rating_create(
            case,
            channel=channel,
            level=level,
            criteria=criteria,
            comment=comment,
            window=window,
            on=on,
            now=now,
        )
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.RATED,
            at=now,
            on=on,
            actor_label=actor_label(actor, username=True),
            note=f"评价：{rating.get_level_display()}",
            detail={"level": level, "channel": channel},
        )
        step.audit(
            "ratings.submit",
            obj=rating,
            changes={"level": level, "channel": channel, "criteria": criteria},
        )
        if rating.is_bad:
            _open_rectification(rating, on=on, step=step)
    return rating


def _open_rectification(rating: Rating, *, on: dt.date, step: Step[Case]) -> Rectification:
    due = add_workdays(on, int(settings.SANYI_RECTIFICATION_DAYS))
    rectification = Rectification.objects.create(
        rating=rating,
        unit=rating.handling_unit,
        opened_on=on,
        due_on=due.date,
        due_provisional=due.provisional,
    )
    step.audit(
        "ratings.rectification_open",
        obj=rectification,
        changes={"due_on": due.date.isoformat()},
    )
    notify_staff(
        event="rating.bad",
        subject=f"差评待整改：{case_title(rating.case)}",
        body=(
            f"办件 {rating.case.number}（短号 {rating.case.short_number}）"
            f"收到“{rating.get_level_display()}”评价，"
            f"请在 {due.date:%Y年%m月%d日} 前完成回访和整改。"
        ),
        link=reverse("workbench:ratings:rectification", args=[rectification.pk]),
        obj=rectification,
        unit=rating.handling_unit,
        roles=RECTIFY_ROLES,
        dedupe_key=f"rectification:{rectification.pk}:open",
    )
    return rectification


def _require_unit_role(actor: Actor, unit: OrgUnit, roles: Iterable[str], doing: str) -> User:
    """The staff user behind ``actor``, who holds one of ``roles`` over ``unit``."""
    if not is_user(actor) or not has_role(actor, roles, unit):
        raise PermissionDenied(f"您不能{doing}：需要该单位或上级单位的审批或督查人员")
    return actor


def _rectification_step(
    rectification: Rectification, *, actor: Actor, field: str
) -> AbstractContextManager[Step[Rectification]]:
    """Lock an open rectification (refused on ``field`` once it has ended)."""
    return transition(
        Rectification,
        rectification.pk,
        actor=actor,
        allowed=[RectificationStatus.OPEN],
        refusal="这项整改已经结束",
        field=field,
    )


def rectification_return_visit(
    *,
    rectification: Rectification,
    result: str,
    note: str,
    actor: Actor,
    on: dt.date | None = None,
) -> Rectification:
    user = _require_unit_role(actor, rectification.unit, RECTIFY_ROLES, "记录回访")
    errors = {}
    if result not in ReturnVisitResult.values:
        errors["result"] = "请选择回访结果"
    if not (note or "").strip():
        errors["note"] = "请填写回访记录：联系了谁、怎么联系、对方怎么说"
    if errors:
        raise ValidationError(errors)
    on = _day(on)
    with _rectification_step(rectification, actor=actor, field="result") as step:
        rectification = step.obj
        rectification.return_visit_on = on
        rectification.return_visit_result = result
        rectification.return_visit_note = note.strip()
        rectification.return_visit_by = user
        rectification.save()
        step.audit(
            "ratings.return_visit",
            changes={"return_visit_result": result, "return_visit_on": on.isoformat()},
        )
    return rectification


def rectification_complete(
    *, rectification: Rectification, measures: str, actor: Actor, on: dt.date | None = None
) -> Rectification:
    user = _require_unit_role(actor, rectification.unit, RECTIFY_ROLES, "完成整改")
    if not (measures or "").strip():
        raise ValidationError({"measures": "请填写整改措施"})
    on = _day(on)
    with _rectification_step(rectification, actor=actor, field="measures") as step:
        rectification = step.obj
        if not rectification.return_visit_result:
            raise ValidationError({"measures": "请先回访评价人，再填写整改结果"})
        rectification.measures = measures.strip()
        rectification.status = RectificationStatus.DONE
        rectification.completed_on = on
        rectification.completed_by = user
        rectification.save()
        step.audit(
            "ratings.rectification_done",
            changes={"status": [RectificationStatus.OPEN, RectificationStatus.DONE]},
            note=f"{'按期' if on <= rectification.due_on else '超期'}完成",
        )
    return rectification


def appeal_file(
    *, rating: Rating, reason: str, actor: Actor, now: datetime | None = None
) -> RatingAppeal:
    """The handling unit appeals a bad rating it holds to be wrong or malicious."""
    user = _require_unit_role(actor, rating.handling_unit, RECTIFY_ROLES, "提出申诉")
    if not rating.is_bad:
        raise ValidationError({"reason": "只有差评可以申诉"})
    if rating.excluded:
        raise ValidationError({"reason": "该评价已经申诉成立"})
    if not (reason or "").strip():
        raise ValidationError({"reason": "请写明申诉理由和证据"})
    with transaction.atomic():
        try:
            with transaction.atomic():
                appeal = RatingAppeal.objects.create(
                    rating=rating,
                    reason=reason.strip(),
                    filed_by=user,
                    filed_at=now or timezone.now(),
                )
        except IntegrityError as exc:
            raise ValidationError({"reason": "这条评价已有申诉正在复核"}) from exc
        audit_record(actor=actor, action="ratings.appeal_file", obj=appeal, note=reason[:200])
        parent = rating.handling_unit.parent or rating.handling_unit
        notify_staff(
            event="rating.appeal",
            subject=f"差评申诉待复核：{case_title(rating.case)}",
            body=(
                f"{rating.handling_unit.name} 对办件 {rating.case.number}"
                f"（短号 {rating.case.short_number}）的差评提出申诉，请复核。"
            ),
            link=reverse("workbench:ratings:rectification", args=[rating.rectification.pk])
            if hasattr(rating, "rectification")
            else "",
            obj=appeal,
            unit=parent,
            roles=(Role.SUPERVISOR,),
            dedupe_key=f"appeal:{appeal.pk}",
        )
    return appeal


def appeal_decide(
    *, appeal: RatingAppeal, upheld: bool, note: str, actor: Actor, now: datetime | None = None
) -> RatingAppeal:
    """A supervisor over the handling unit, not the one who appealed, decides."""
    user = _require_unit_role(actor, appeal.rating.handling_unit, (Role.SUPERVISOR,), "复核申诉")
    if user == appeal.filed_by:
        raise PermissionDenied("申诉人不能复核自己的申诉")
    if not (note or "").strip():
        raise ValidationError({"note": "请填写复核意见"})
    with transition(
        RatingAppeal,
        appeal.pk,
        actor=actor,
        allowed=[AppealStatus.PENDING],
        refusal="这项申诉已经复核",
        field="note",
    ) as step:
        appeal = step.obj
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
        appeal.decided_by = user
        appeal.decided_at = now or timezone.now()
        appeal.decision_note = note.strip()
        appeal.save()
        rating = appeal.rating
        if upheld:
            rating.excluded = True
            rating.save(update_fields=["excluded"])
            Rectification.objects.filter(rating=rating, status=RectificationStatus.OPEN).update(
                status=RectificationStatus.CANCELLED
            )
        step.audit(
            "ratings.appeal_decide",
            changes={"status": [AppealStatus.PENDING, appeal.status]},
            note=note[:200],
        )
    return appeal
