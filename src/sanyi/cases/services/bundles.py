"""Bundles (一件事一次办): one application for a life event.

The resident answers the shared fields once and uploads each material once; behind it each
member item that applies to the answers becomes its own case (``case_start``), routed to
its own unit with its own clocks. Members that wait for nothing are submitted at once;
one that waits starts when the earlier case concludes, with the earlier result document
as its material (``bundle_member_start``, run on commit of the conclusion and again by the
scheduled sweep, so it is idempotent). The window clerk accepts every member ready at
their centre in one go (``bundle_accept``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.cases import links
from sanyi.cases.choices import (
    AcceptanceDecision,
    CaseChannel,
    CaseStatus,
    Decision,
    MaterialOrigin,
    MaterialStatus,
)
from sanyi.cases.models import Bundle, BundleMember, Case, CaseMaterial
from sanyi.cases.numbering import allocate_case_number
from sanyi.cases.services._common import _day, version_in_force
from sanyi.cases.services.acceptance import case_accept
from sanyi.cases.services.conclusion import case_withdraw
from sanyi.cases.services.intake import case_material_upload, case_start, case_submit
from sanyi.cases.services.routing import center_may_accept
from sanyi.catalog.choices import MaterialNecessity, MaterialSource
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.selectors import PlannedMember, life_event_plan
from sanyi.core.actors import Actor, SystemActor
from sanyi.orgs.areas import area_from_address

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from sanyi.applicants.models import Applicant
    from sanyi.orgs.areas import Area
    from sanyi.orgs.models import Window

BUNDLE_CODE = "YJS"  # 一件事: the numbering code of bundles (YJS-20261206-0001)
BUNDLE_ACTOR = SystemActor("系统：一件事联办")
YES = {True, "yes", "1", "true", "是", "on"}
NO = {False, "no", "0", "false", "否"}


def bundle_clean_answers(event: LifeEvent, raw: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to the event's shared fields (yes/no as true/false), or every missing
    or wrong one at once, each under ``answer_<name>``."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field in event.fields:
        name, value = field["name"], raw.get(field["name"])
        value = value.strip() if isinstance(value, str) else value
        if field["kind"] == "yes_no":
            if value in YES:
                answers[name] = True
            elif value in NO:
                answers[name] = False
            else:
                errors[f"answer_{name}"] = f"请回答：{field['label']}"
        elif not value or len(str(value)) > 200:
            errors[f"answer_{name}"] = f"请填写：{field['label']}（不超过200字）"
        else:
            answers[name] = str(value)
    if errors:
        raise ValidationError(errors)
    return answers


def bundle_area(applicant: Applicant, chosen: Area | None = None) -> Area | None:
    """The area whose implementations serve the applicant's bundle: the one named in
    their address on file, else the one they chose on the front door (``chosen``)."""
    return area_from_address(applicant.address) or chosen


def bundle_uploads_needed(plan: list[PlannedMember]) -> dict[str, bool]:
    """Each material the resident uploads once for the whole bundle: name → required.
    Shared-data materials and those an earlier member's result provides are not asked."""
    needed: dict[str, bool] = {}
    for member in plan:
        for m in version_in_force(member.item).materials.order_by("position"):
            if m.source == MaterialSource.SHARED_DATA or m.name == member.carries:
                continue
            required = m.necessity == MaterialNecessity.REQUIRED
            needed[m.name] = needed.get(m.name, False) or required
    return needed


def _check_uploads(needed: dict[str, bool], uploads: Mapping[str, UploadedFile]) -> None:
    from sanyi.cases.services.intake import check_material_upload

    errors: dict[str, str] = {}
    missing = [name for name, required in needed.items() if required and name not in uploads]
    if missing:
        errors["uploads"] = "以下必要材料还没有上传：" + "、".join(missing)
    for name, uploaded in uploads.items():
        if name not in needed:
            errors["uploads"] = f"“{name}”不是本次申请需要的材料"
            continue
        try:
            check_material_upload(uploaded)
        except ValidationError as exc:
            errors[f"upload_{name}"] = f"“{name}”：" + "；".join(exc.messages)
    if errors:
        raise ValidationError(errors)


def bundle_apply(
    *,
    applicant: Applicant,
    life_event: LifeEvent,
    answers: Mapping[str, Any],
    uploads: Mapping[str, UploadedFile],
    actor: Actor,
    idempotency_key: str = "",
    on: dt.date | None = None,
    area: Area | None = None,
) -> Bundle:
    """One application for a life event: every member that applies becomes its own case,
    all or nothing. A repeated call with the same key returns the first bundle.

    Each member is served by the implementation of the resident's ``area`` (by default
    the area named in the applicant's address; see ``bundle_area``); when none serves
    it, the listed implementation is used and the plan's ``area_note`` says so."""
    on = _day(on)
    key = (idempotency_key or "").strip()[:80]
    if key:
        earlier = Bundle.objects.filter(applicant_id=applicant.pk, start_key=key).first()
        if earlier is not None:
            return earlier
    clean = bundle_clean_answers(life_event, answers)
    plan = life_event_plan(life_event, clean, area=area or bundle_area(applicant))
    if not plan:
        raise ValidationError({"life_event": "按您的回答，这件事没有需要办理的事项"})
    _check_uploads(bundle_uploads_needed(plan), uploads)
    try:
        with transaction.atomic():
            bundle = _create(applicant, life_event, clean, plan, uploads, actor, key, on)
    except IntegrityError:
        earlier = Bundle.objects.filter(applicant_id=applicant.pk, start_key=key).first()
        if not key or earlier is None:
            raise
        return earlier
    return bundle


def _create(
    applicant: Applicant,
    event: LifeEvent,
    answers: dict[str, Any],
    plan: list[PlannedMember],
    uploads: Mapping[str, UploadedFile],
    actor: Actor,
    key: str,
    on: dt.date,
) -> Bundle:
    number = allocate_case_number(BUNDLE_CODE, on)
    bundle = Bundle.objects.create(
        number=number, applicant=applicant, life_event=event, answers=answers, start_key=key
    )
    labels = {f["name"]: f["label"] for f in event.fields}
    form = {
        labels[k]: ("是" if v is True else "否" if v is False else v) for k, v in answers.items()
    }
    stored: dict[str, CaseMaterial] = {}
    by_name: dict[str, BundleMember] = {}
    for planned in plan:
        case = case_start(
            applicant=applicant,
            item=planned.item,
            channel=CaseChannel.ONLINE,
            actor=actor,
            form_data={**form, "一件事申请编号": number},
            on=on,
        )
        member = BundleMember.objects.create(
            bundle=bundle,
            case=case,
            position=planned.position,
            waits_for=by_name.get(planned.after),
            carries=planned.carries,
        )
        by_name[planned.name] = member
        _provide_once(case, uploads, stored, actor)
    for member in by_name.values():
        if member.waits_for_id is None:
            case_submit(case=member.case, actor=actor, idempotency_key=_submit_key(member), on=on)
            member.started_at = timezone.now()
            member.save(update_fields=["started_at"])
    audit_record(
        actor=actor,
        action="cases.bundle_apply",
        obj=bundle,
        changes={"life_event": event.name, "cases": [m.case.number for m in by_name.values()]},
    )
    transaction.on_commit(partial(_notify_applied, bundle.pk))
    return bundle


def _submit_key(member: BundleMember) -> str:
    return f"{member.bundle.number}-{member.position}-{member.pk}"


def _provide_once(
    case: Case,
    uploads: Mapping[str, UploadedFile],
    stored: dict[str, CaseMaterial],
    actor: Actor,
) -> None:
    """Each uploaded file is stored once; every other member case asking for the same
    material points to that file."""
    for cm in case.materials.all():
        if cm.name not in uploads or cm.status == MaterialStatus.SHARED:
            continue
        first = stored.get(cm.name)
        if first is None:
            stored[cm.name] = case_material_upload(
                case=case, case_material=cm, uploaded=uploads[cm.name], actor=actor
            )
            continue
        cm.file = first.file.name
        cm.content_type, cm.size, cm.pages, cm.sha256 = (
            first.content_type,
            first.size,
            first.pages,
            first.sha256,
        )
        cm.origin, cm.uploaded_at = MaterialOrigin.UPLOAD, first.uploaded_at
        cm.save()


def _notify_applied(bundle_pk: int) -> None:
    bundle = Bundle.objects.select_related("life_event").get(pk=bundle_pk)
    _notify_bundle(
        bundle,
        "bundle.applied",
        f"“{bundle.life_event.name}”一件事已提交",
        f"您的“{bundle.life_event.name}”一件事申请（编号{bundle.number}）已提交，"
        f"共{bundle.members.count()}个事项，由各部门分别办理，可在同一个页面查看进度。",
        f"bundle-applied-{bundle.pk}",
    )


def _notify_bundle(bundle: Bundle, event: str, subject: str, body: str, key: str) -> None:
    from sanyi.notify.services import notify_applicant

    notify_applicant(
        applicant=bundle.applicant,
        event=event,
        subject=subject,
        body=body,
        link=links.bundle_link(bundle),
        obj=bundle,
        dedupe_key=key,
    )


# --- a waiting member starts when the earlier one concludes ---------------------------------


def bundle_member_start(*, member: BundleMember, actor: Actor = BUNDLE_ACTOR) -> BundleMember:
    """Start a member whose earlier case has concluded: its result document becomes this
    member's material and the case is submitted; a refused earlier case withdraws it.
    Does nothing when the earlier case is still running or this one was already handled."""
    with transaction.atomic():
        member = (
            BundleMember.objects.select_for_update(of=("self",))
            .select_related("bundle__life_event", "waits_for__case", "case")
            .get(pk=member.pk)
        )
        earlier = member.waits_for.case if member.waits_for else None
        if member.started_at or member.stopped_note or earlier is None:
            return member
        if earlier.concluded_at is None:
            return member
        name = member.case.implementation_item.base_item.name
        if earlier.decision != Decision.APPROVE:
            member.stopped_note = f"前序事项办件{earlier.number}未获准予，本事项无法继续办理"
            case_withdraw(case=member.case, actor=actor, reason=member.stopped_note)
        else:
            _attach_result(member, earlier)
            case_submit(case=member.case, actor=actor, idempotency_key=_submit_key(member))
            member.started_at = timezone.now()
        member.save(update_fields=["started_at", "stopped_note"])
        bundle = member.bundle
        what = member.stopped_note or f"前序事项已办结，其结果已作为材料自动提交，“{name}”开始办理"
        _notify_bundle(
            bundle,
            "bundle.member_started" if member.started_at else "bundle.member_stopped",
            f"“{bundle.life_event.name}”一件事：{name}",
            f"您的“{bundle.life_event.name}”一件事申请（编号{bundle.number}）中，{what}。",
            f"bundle-member-{member.pk}",
        )
        audit_record(
            actor=actor,
            action="cases.bundle_member_start",
            obj=member.bundle,
            changes={"case": member.case.number, "after": earlier.number},
            note=member.stopped_note or f"“{name}”开始办理",
        )
    return member


def _attach_result(member: BundleMember, earlier: Case) -> None:
    """The earlier case's result document fills the material it carries, by itself."""
    document = earlier.documents.order_by("-pk").first()
    if not member.carries or document is None:
        return
    for cm in member.case.materials.filter(name=member.carries):
        cm.file = document.file.name
        cm.sha256, cm.content_type = document.sha256, "application/pdf"
        cm.origin, cm.result_document = MaterialOrigin.RESULT, document
        cm.reused_from, cm.licence, cm.uploaded_at = None, None, timezone.now()
        if cm.status != MaterialStatus.SHARED:
            cm.status = MaterialStatus.PENDING
        cm.save()


def bundles_after_conclusion(case_pk: int) -> int:
    """Start every member waiting for case ``case_pk`` (run on commit of its conclusion);
    the number started or stopped."""
    waiting = BundleMember.objects.filter(
        waits_for__case_id=case_pk, started_at__isnull=True, stopped_note=""
    )
    return sum(1 for m in waiting if _started(bundle_member_start(member=m)))


def bundles_start_waiting() -> int:
    """The sweep behind the on-commit hook: every waiting member whose earlier case has
    concluded (a hook that failed is caught up here)."""
    waiting = BundleMember.objects.filter(
        started_at__isnull=True,
        stopped_note="",
        waits_for__case__concluded_at__isnull=False,
    )
    return sum(1 for m in waiting if _started(bundle_member_start(member=m)))


def _started(member: BundleMember) -> bool:
    return bool(member.started_at or member.stopped_note)


# --- the counter accepts a bundle in one go ------------------------------------------------


# How the clerk found each material against the original at the window.
CHECKED = BUNDLE_CHECKED = "checked"
MISSING = BUNDLE_MISSING = "missing"
TO_FIX = BUNDLE_TO_FIX = "to_fix"
BUNDLE_CHECK_CHOICES = ((CHECKED, "核对无误"), (MISSING, "缺少"), (TO_FIX, "需补正"))


@dataclass(frozen=True)
class BundleAcceptance:
    """What the counter did with a bundle's members ready at the window."""

    accepted: list[Case]
    corrections: list[Case]
    refused: list[Case]


def _member_rows(case: Case, checks: Mapping[int, tuple[str, str]]) -> tuple[list, list[str]]:
    """The acceptance rows of one member case from the clerk's checks, and the errors
    (a material not checked, a correction without what to correct), in Chinese."""
    name = case.implementation_item.base_item.name
    rows: list[dict[str, Any]] = []
    errors: list[str] = []
    for cm in case.materials.all():
        if cm.status == MaterialStatus.SHARED:
            continue  # taken from the platform's own records: nothing to hold up
        result, note = checks.get(cm.pk, ("", ""))
        note = (note or "").strip()
        if result == CHECKED:
            rows.append({"material": cm, "status": "ok"})
        elif result == MISSING:
            problem = f"缺少“{cm.name}”" + (f"：{note}" if note else "，请补交")
            rows.append({"material": cm, "status": "to_fix", "problem": problem})
        elif result == TO_FIX and note:
            rows.append({"material": cm, "status": "to_fix", "problem": note})
        elif result == TO_FIX:
            errors.append(f"“{name}”的“{cm.name}”需补正，请写明要补正什么")
        else:
            errors.append(f"请核对“{name}”的“{cm.name}”（核对无误、缺少或需补正）")
    return rows, errors


def bundle_accept(
    *,
    bundle: Bundle,
    window: Window,
    actor: Actor,
    checks: Mapping[int, tuple[str, str]] | None = None,
    refuse: bool = False,
    reason: str = "",
    basis: str = "",
    on: dt.date | None = None,
) -> BundleAcceptance:
    """At ``window``, decide every member of the bundle ready for acceptance that the
    window's centre may accept, in one go and all or none.

    The online pre-check is not taken as given: ``checks`` holds, for every material of
    every such member (by CaseMaterial pk), the clerk's finding against the original —
    ``(CHECKED | MISSING | TO_FIX, note)``. A member whose materials are all in order is
    accepted; one with a missing material or one to correct gets a one-time correction
    notice (补正) while the others are accepted. ``refuse`` refuses every ready member
    instead (不予受理, with ``reason`` and ``basis``)."""
    ready = [
        m.case
        for m in bundle.members.select_related("case__implementation_item__base_item").order_by(
            "position"
        )
        if m.case.status == CaseStatus.AWAITING_ACCEPTANCE
        and not center_may_accept(window.center, m.case.implementation_item)
    ]
    if not ready:
        raise ValidationError({"bundle": "该申请中没有可在本中心受理的事项"})
    plans: list[tuple[Case, str, list]] = []
    if refuse:
        plans = [(case, AcceptanceDecision.REJECT, []) for case in ready]
    else:
        errors: list[str] = []
        for case in ready:
            rows, problems = _member_rows(case, checks or {})
            errors += problems
            broken = any(r["status"] == "to_fix" for r in rows)
            decision = AcceptanceDecision.CORRECTION_NOTICE if broken else AcceptanceDecision.ACCEPT
            plans.append((case, decision, rows))
        if errors:
            raise ValidationError({"materials": errors})
    return _bundle_decide(bundle, window, actor, plans, reason=reason, basis=basis, on=on)


def _bundle_decide(
    bundle: Bundle,
    window: Window,
    actor: Actor,
    plans: list[tuple[Case, str, list]],
    *,
    reason: str,
    basis: str,
    on: dt.date | None,
) -> BundleAcceptance:
    outcome = BundleAcceptance([], [], [])
    target: dict[str, list[Case]] = {
        AcceptanceDecision.ACCEPT: outcome.accepted,
        AcceptanceDecision.CORRECTION_NOTICE: outcome.corrections,
        AcceptanceDecision.REJECT: outcome.refused,
    }
    with transaction.atomic():
        for case, decision, rows in plans:
            done = case_accept(
                case=case,
                window=window,
                decision=decision,
                actor=actor,
                materials=rows,
                reason=reason,
                basis=basis,
                on=on,
            )
            target[decision].append(done)
        audit_record(
            actor=actor,
            action="cases.bundle_accept",
            obj=bundle,
            changes={
                "accepted": [c.number for c in outcome.accepted],
                "correction": [c.number for c in outcome.corrections],
                "refused": [c.number for c in outcome.refused],
                "window": window.pk,
            },
        )
    return outcome
