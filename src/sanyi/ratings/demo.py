"""Demo ratings: most delivered demo cases are rated; the bad ones are followed up.

Runs after the cases demo. Every write goes through the services, with past dates, so the
rectification deadlines, return visits and an upheld and a pending appeal are all real.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from sanyi.calendar.selectors import add_workdays
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.core.demo import DemoResult
from sanyi.orgs.models import Role, RoleAssignment
from sanyi.ratings.choices import CRITERIA, RatingChannel, ReturnVisitResult
from sanyi.ratings.models import Rating
from sanyi.ratings.services import (
    appeal_decide,
    appeal_file,
    rating_submit,
    rectification_complete,
    rectification_return_visit,
)

LEVELS = [5] * 12 + [4] * 6 + [3] * 2 + [2] + [1]
COMMENTS = {
    5: ["办得很快，工作人员很耐心", "一次就办好了，没跑第二趟", "网上预审很方便"],
    4: ["整体满意，排队时间稍长", "材料清单很清楚"],
    3: ["还可以，希望窗口多开几个"],
    2: ["补正通知写得不够清楚，多跑了一趟"],
    1: ["等了很久没人处理，电话也打不通"],
}


def is_loaded() -> bool:
    return Rating.objects.exists()


def _holder(role: str, unit) -> object | None:
    """A demo staff member holding ``role`` on ``unit`` or the nearest unit above it."""
    paths = [unit.path[:i] for i in range(len(unit.path), 0, -1)]
    assignment = (
        RoleAssignment.objects.filter(role=role, is_active=True, org_unit__path__in=paths)
        .select_related("user", "org_unit")
        .order_by("-org_unit__depth", "user__username")
        .first()
    )
    return assignment.user if assignment else None


def load(*, actor, rng) -> DemoResult:
    """Ratings for concluded demo cases, and the bad ones rectified, appealed or still open.

    Long because it is a demo script: rate the cases, then work through the bad ratings."""
    today = timezone.localdate()
    cases = list(
        Case.objects.filter(status__in=[CaseStatus.DELIVERED, CaseStatus.CONCLUDED])
        .exclude(concluded_on__isnull=True)
        .select_related("implementation_item__implementing_unit", "applicant", "window")
        .order_by("concluded_on", "id")
    )
    rated = bad = 0
    bad_ratings = []
    for case in cases:
        if rng.random() > 0.7:
            continue  # not every applicant rates
        level = rng.choice(LEVELS)
        channel = (
            RatingChannel.OFFLINE
            if case.window_id and rng.random() < 0.5
            else (RatingChannel.ONLINE)
        )
        keys = [key for key, _ in CRITERIA[channel]]
        criteria = {key: max(1, min(5, level + rng.choice([-1, 0, 0, 1]))) for key in keys}
        on = min(case.concluded_on + dt.timedelta(days=rng.randint(0, 3)), today)
        rating = rating_submit(
            case=case,
            level=level,
            channel=channel,
            criteria=criteria,
            comment=rng.choice(COMMENTS[level]),
            actor=case.applicant.audit_label,
            window=case.window if channel == RatingChannel.OFFLINE else None,
            on=on,
            now=timezone.make_aware(dt.datetime.combine(on, dt.time(10, rng.randint(0, 59)))),
        )
        rated += 1
        if rating.is_bad:
            bad += 1
            bad_ratings.append(rating)

    done = appealed = 0
    for index, rating in enumerate(bad_ratings):
        rectification = rating.rectification
        unit = rectification.unit
        approver = _holder(Role.APPROVER, unit)
        supervisor = _holder(Role.SUPERVISOR, unit)
        if approver is None:
            continue
        visit_on = min(add_workdays(rectification.opened_on, 2).date, today)
        if index % 4 == 3 and supervisor is not None and supervisor != approver:
            appeal = appeal_file(
                rating=rating,
                reason="经核实，申请人当天办理的是其他事项，评价对象有误（附窗口监控记录）。",
                actor=approver,
            )
            appealed += 1
            if index % 8 == 3:
                appeal_decide(
                    appeal=appeal,
                    upheld=True,
                    note="核实属实，属于误评，不计入统计。",
                    actor=supervisor,
                )
            continue
        if index % 4 == 2 or rectification.due_on >= today:
            continue  # still open: one of them overdue, others within their deadline
        rectification_return_visit(
            rectification=rectification,
            result=ReturnVisitResult.SATISFIED if index % 3 else ReturnVisitResult.UNSATISFIED,
            note="电话回访申请人，说明了原因并致歉，申请人表示理解。",
            actor=approver,
            on=visit_on,
        )
        rectification_complete(
            rectification=rectification,
            measures="在窗口补充张贴一次性告知示例，增设午间值班，补正通知逐项写明原因。",
            actor=approver,
            on=min(add_workdays(rectification.opened_on, 4).date, today),
        )
        done += 1
    return DemoResult(
        summary=(f"好差评：{rated}条评价（其中差评{bad}条，已整改{done}条，申诉{appealed}条）")
    )
