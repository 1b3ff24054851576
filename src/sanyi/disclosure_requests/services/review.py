"""Administrative review and lawsuits about a request."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record
from sanyi.core.actors import Actor
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    EventKind,
)
from sanyi.disclosure_requests.models import (
    Appeal,
    InfoRequest,
)
from sanyi.disclosure_requests.services._common import _event, _locked, _on, _require_officer


def appeal_record(
    *,
    actor: Actor,
    request: InfoRequest,
    kind: str,
    filed_on: dt.date,
    authority: str,
    case_number: str = "",
    note: str = "",
) -> Appeal:
    """Record an administrative review or a lawsuit about a request."""
    filed_on = _on(filed_on, "filed_on")
    with transaction.atomic():
        request = _locked(request)
        _require_officer(actor, request.agency)
        errors: dict[str, str] = {}
        if kind not in AppealKind.values:
            errors["kind"] = "请选择行政复议或行政诉讼"
        if not (authority or "").strip():
            errors["authority"] = "请填写复议机关或人民法院"
        if request.received_on is None:
            errors["request"] = "申请尚未收到确认，不能登记复议或诉讼"
        elif filed_on < request.received_on:
            errors["filed_on"] = "提起日期不能早于收到申请日期"
        if (
            kind == AppealKind.LAWSUIT_AFTER_REVIEW
            and not request.appeals.filter(kind=AppealKind.REVIEW).exists()
        ):
            errors["kind"] = "“复议后起诉”须先有行政复议记录"
        if errors:
            raise ValidationError(errors)
        appeal = Appeal.objects.create(
            request=request,
            kind=kind,
            filed_on=filed_on,
            authority=authority.strip(),
            case_number=(case_number or "").strip(),
            note=(note or "").strip(),
        )
        _event(
            request,
            kind=EventKind.APPEAL_FILED,
            on=filed_on,
            actor=actor,
            note=f"{appeal.get_kind_display()}：{appeal.authority}",
            due_before=request.reply_due_on,
            data={"appeal": appeal.pk},
        )
        audit_record(actor=actor, action="disclosure_request.appeal", obj=appeal)
    return appeal


def appeal_conclude(
    *, actor: Actor, appeal: Appeal, result: str, concluded_on: dt.date, note: str = ""
) -> Appeal:
    concluded_on = _on(concluded_on, "concluded_on")
    with transaction.atomic():
        appeal = (
            Appeal.objects.select_for_update().select_related("request__agency").get(pk=appeal.pk)
        )
        _require_officer(actor, appeal.request.agency)
        if appeal.result != AppealResult.PENDING:
            raise ValidationError({"result": "该复议或诉讼已登记审结结果"})
        if result not in AppealResult.values or result == AppealResult.PENDING:
            raise ValidationError({"result": "请选择结果维持、结果纠正或其他结果"})
        if concluded_on < appeal.filed_on:
            raise ValidationError({"concluded_on": "审结日期不能早于提起日期"})
        appeal.result = result
        appeal.concluded_on = concluded_on
        if note:
            appeal.note = f"{appeal.note}\n{note}".strip()
        appeal.save()
        _event(
            appeal.request,
            kind=EventKind.APPEAL_CONCLUDED,
            on=concluded_on,
            actor=actor,
            note=f"{appeal.get_kind_display()}：{appeal.get_result_display()}",
            due_before=appeal.request.reply_due_on,
            data={"appeal": appeal.pk, "result": result},
        )
        audit_record(
            actor=actor,
            action="disclosure_request.appeal_conclude",
            obj=appeal,
            changes={"result": [AppealResult.PENDING, result]},
        )
    return appeal
