"""Pre-checks of a submitted online application (预审) and resubmission after a correction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, prefetch_related_objects

from sanyi.cases.choices import (
    CaseStatus,
    EventKind,
    MaterialOrigin,
    MaterialStatus,
)
from sanyi.cases.models import (
    Case,
    CaseMaterial,
    PrecheckRound,
)
from sanyi.cases.services._common import (
    STAFF_ROLES,
    _audit_step,
    _date_text,
    _day,
    _event,
    _item_name,
    _moment,
    _notify_applicant,
    _notify_staff,
    _require_staff,
    _system_user,
    _transition,
    correction_due,
)
from sanyi.cases.services.intake import _provided
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import Role


def _notice_text(
    case: Case, problems: list[tuple[str, str]], reply_due_on: dt.date | None, *, at_window: bool
) -> str:
    head = (
        f"您申请的“{_item_name(case)}”（办件编号{case.number}）"
        + ("经窗口审核" if at_window else "经网上预审")
        + f"，以下{len(problems)}项材料需要补正。请一次补齐后"
        + ("带到窗口办理" if at_window else "重新提交")
        + "："
    )
    lines = [head] + [f"{i}. {name}：{problem}" for i, (name, problem) in enumerate(problems, 1)]
    if reply_due_on:
        lines.append(f"请在{_date_text(reply_due_on)}前补正。")
    lines.append("除以上材料外，其他材料无需再提交。")
    return "\n".join(lines)


def _check_results(
    case: Case,
    results: Iterable[dict[str, Any]],
    actor: Actor,
    now: datetime,
    *,
    allowed: Iterable[str] = ("ok", "to_fix"),
    at_window: bool = False,
) -> list:
    """Apply per-material check results; returns [(name, problem)] of those to fix.

    "ok" for a material without a file or licence means, at a window (``at_window``),
    paper received there (origin PAPER); in an online pre-check it means nothing for an
    optional material the applicant did not supply, which stays "未提交（非必需）"."""
    # The case's materials, locked and kept on the (freshly locked) case: the rest of the
    # step reads these rows, with what this check writes, instead of reading them again.
    locked_rows = Prefetch("materials", queryset=CaseMaterial.objects.select_for_update())
    prefetch_related_objects([case], locked_rows)
    # Looked up by whatever the caller sent: a pk, or a material (by its pk).
    by_pk: dict[object, CaseMaterial] = {cm.pk: cm for cm in case.materials.all()}
    problems: list[tuple[str, str]] = []
    errors: list[str] = []
    for row in results:
        cm_ref = row.get("material") if isinstance(row, dict) else row
        cm = by_pk.get(getattr(cm_ref, "pk", cm_ref))
        if cm is None:
            raise ValidationError({"results": "审核结果中有不属于本办件的材料"})
        status = row.get("status", "ok") if isinstance(row, dict) else "ok"
        problem = (row.get("problem") or "").strip() if isinstance(row, dict) else ""
        if status not in allowed:
            raise ValidationError({"results": f"“{cm.name}”的审核结果不正确"})
        if cm.status == MaterialStatus.SHARED:
            continue
        if status == "to_fix":
            if not problem:
                errors.append(f"“{cm.name}”需补正，请写明具体问题")
                continue
            cm.status, cm.problem = MaterialStatus.TO_FIX, problem[:500]
            problems.append((cm.name, cm.problem))
        else:
            if not _provided(cm):
                if not (at_window or cm.required):
                    continue
                if at_window:
                    cm.origin = MaterialOrigin.PAPER
            cm.status, cm.problem = MaterialStatus.OK, ""
        cm.checked_by, cm.checked_at = actor_user(actor), now
        cm.save(update_fields=["status", "problem", "origin", "checked_by", "checked_at"])
    if errors:
        raise ValidationError({"results": "；".join(errors)})
    return problems


def case_precheck(
    *,
    case: Case,
    results: Iterable[dict[str, Any]],
    actor: Actor,
    reply_days: int | None = None,
    on: dt.date | None = None,
) -> Case:
    """Record a pre-check: every problem goes out at once in one plain notice."""
    on = _day(on)
    with _transition(case, actor, (CaseStatus.PRECHECK,), "预审") as step:
        case = step.obj
        _require_staff(actor, STAFF_ROLES, case.unit, "您不能预审不在本单位范围内的办件")
        problems = _check_results(case, results, actor, _moment(on))
        pending = [
            cm.name
            for cm in case.materials.all()
            if cm.required and cm.status == MaterialStatus.PENDING and _provided(cm)
        ]
        if not problems and pending:
            raise ValidationError({"results": "还有材料未审核：" + "、".join(pending)})
        if problems:
            reply_due = correction_due(on, reply_days)
            number = case.precheck_rounds.count() + 1
            notice = _notice_text(case, problems, reply_due, at_window=False)
            PrecheckRound.objects.create(
                case=case,
                number=number,
                notice=notice,
                items=[{"material": n, "problem": p} for n, p in problems],
                reply_due_on=reply_due,
                created_by=actor_user(actor) or _system_user(),
            )
            case.status = CaseStatus.PRECHECK_RETURNED
            _event(
                case, EventKind.PRECHECK_RETURNED, actor, on, note=notice, detail={"round": number}
            )
            _notify_applicant(case, "case.correction_needed", "申请材料需要补正", notice)
        else:
            case.status = CaseStatus.AWAITING_ACCEPTANCE
            _event(case, EventKind.PRECHECK_PASSED, actor, on)
            _notify_applicant(
                case,
                "case.precheck_passed",
                "预审通过",
                f"您申请的“{_item_name(case)}”（{case.number}）已通过预审，等待受理。",
            )
        case.save(update_fields=["status", "updated_at"])
        _audit_step(step, "precheck", {"status": case.status, "problems": len(problems)})
    return case


def case_resubmit(*, case: Case, actor: Actor, on: dt.date | None = None) -> Case:
    """After fixing: back to pre-check (online) or to acceptance (a window notice)."""
    on = _day(on)
    with _transition(
        case, actor, (CaseStatus.PRECHECK_RETURNED, CaseStatus.CORRECTION_NOTICE), "重新提交"
    ) as step:
        case = step.obj
        still = [cm.name for cm in case.materials.all() if cm.status == MaterialStatus.TO_FIX]
        if still:
            raise ValidationError({"materials": "以下材料还没有补正：" + "、".join(still)})
        case.precheck_rounds.filter(resolved_at__isnull=True).update(resolved_at=_moment(on))
        before = case.status
        case.status = (
            CaseStatus.PRECHECK
            if before == CaseStatus.PRECHECK_RETURNED
            else CaseStatus.AWAITING_ACCEPTANCE
        )
        case.save(update_fields=["status", "updated_at"])
        _event(case, EventKind.PRECHECK_RESUBMITTED, actor, on)
        _audit_step(step, "resubmit", {"status": [before, case.status]})
        if case.status == CaseStatus.PRECHECK:
            _notify_staff(
                case,
                "case.precheck_due",
                f"补正后待预审：{_item_name(case)}",
                f"办件{case.number}已补正，请再次预审。",
                unit=case.unit,
                roles=(Role.WINDOW_CLERK, Role.APPROVER),
            )
    return case
