"""Delivery (送达) of the result, and the query code printed on the receipt."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone

from sanyi.cases.choices import (
    CaseStatus,
    DeliveryMethod,
    EventKind,
    VisitPurpose,
)
from sanyi.cases.models import (
    Case,
    Delivery,
)
from sanyi.cases.numbering import query_code_for
from sanyi.cases.services._common import (
    _audit_step,
    _event,
    _notify_applicant,
    _require_staff,
    _transition,
)
from sanyi.cases.services.visits import _visit
from sanyi.core.actors import Actor, actor_user
from sanyi.orgs.models import Role, Window


def case_deliver(
    *,
    case: Case,
    method: str,
    actor: Actor,
    window: Window | None = None,
    tracking_number: str = "",
    address: str = "",
    recipient_name: str = "",
    now: dt.datetime | None = None,
    _same_visit: bool = False,
) -> Case:
    """Hand over the result (统一出件): at a window (a visit), by post, or electronically.

    Long because each of the three methods has its own required fields, checked together
    so the clerk sees every missing one at once."""
    now = now or timezone.now()
    errors = {}
    if method not in DeliveryMethod.values:
        errors["method"] = "请选择出件方式"
    if method == DeliveryMethod.POST:
        if not tracking_number.strip():
            errors["tracking_number"] = "邮寄送达须填写邮件单号"
        if not address.strip():
            errors["address"] = "邮寄送达须填写送达地址"
    if method == DeliveryMethod.WINDOW:
        if window is None:
            errors["window"] = "请选择出件窗口"
        if not recipient_name.strip():
            errors["recipient_name"] = "请填写领取人姓名"
    if errors:
        raise ValidationError(errors)
    with _transition(case, actor, (CaseStatus.CONCLUDED,), "出件") as step:
        case = step.obj
        unit = window.center.org_unit if window is not None else (case.unit)
        _require_staff(
            actor, (Role.WINDOW_CLERK, Role.APPROVER), unit, "您不能在该中心为此办件出件"
        )
        delivery, _ = Delivery.objects.get_or_create(
            case=case, defaults={"method": method, "ready_at": now}
        )
        delivery.method, delivery.window = method, window
        delivery.tracking_number, delivery.address = tracking_number.strip(), address.strip()
        delivery.recipient_name = recipient_name.strip()[:50]
        delivery.delivered_at, delivery.handed_over_by = now, actor_user(actor)
        delivery.save()
        case.delivery_method, case.delivered_at, case.status = method, now, CaseStatus.DELIVERED
        on = timezone.localtime(now).date()
        if method == DeliveryMethod.WINDOW and not _same_visit:
            _visit(case, VisitPurpose.PICKUP, actor, window, now)
        detail = {
            DeliveryMethod.WINDOW: f"窗口领取，领取人：{delivery.recipient_name}",
            DeliveryMethod.POST: f"邮寄送达，邮件单号：{delivery.tracking_number}",
            DeliveryMethod.ELECTRONIC: "电子送达",
        }[DeliveryMethod(method)]
        _event(case, EventKind.DELIVERED, actor, on, note=detail)
        _notify_applicant(
            case,
            "case.delivered",
            "办理结果已送达",
            f"您的办件{case.number}的办理结果已{DeliveryMethod(method).label}。欢迎对本次服务作出评价。",
        )
        case.save()
        _audit_step(step, "deliver", {"method": method})
    return case


def case_receipt_number(case: Case) -> str:
    """The query code printed on the receipt (derived, never stored in clear)."""
    return query_code_for(case.number)
