"""What a resident does with an offer: open it, start the prefilled application it offers,
and confirm the application 免申即享 opened for them. Cases are opened and submitted
through ``sanyi.cases.services`` only; an offer remembers its case (``ProactiveOffer.case``)
and reads applied / concluded from it (docs/proactive.md, "Counters")."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.cases import services as case_services
from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.cases.models import Case
from sanyi.core.actors import Actor
from sanyi.proactive.models import ProactiveOffer


def profile_form_data(applicant: Applicant, *, reason: str) -> dict[str, str]:
    """The application form prefilled from the resident's profile (as the online form
    prefills it), with the offer's reason as the application's note."""
    return {
        "phone": applicant.phone or "",
        "address": applicant.address or "",
        "description": f"主动服务：{reason}"[:1000],
    }


def offer_key(offer: ProactiveOffer, step: str) -> str:
    """The idempotency key of the case an offer starts (``start``) or submits (``submit``):
    a retried click, or a rerun, answers with the same case."""
    return f"proactive-{step}-{offer.pk}"


def offer_case_start(*, offer: ProactiveOffer, actor: Actor) -> Case:
    """Open the offer's prefilled draft (once) and link it to the offer. Call inside the
    offer's transaction; eligibility refusals of the item raise ValidationError."""
    case = case_services.case_start(
        applicant=offer.applicant,
        item=offer.item,
        channel=CaseChannel.ONLINE,
        actor=actor,
        form_data=profile_form_data(offer.applicant, reason=offer.reason),
        idempotency_key=offer_key(offer, "start"),
    )
    offer.case = case
    offer.save(update_fields=["case"])
    return case


def _locked(offer: ProactiveOffer) -> ProactiveOffer:
    return (
        ProactiveOffer.objects.select_for_update(of=("self",))
        .select_related("applicant", "item__base_item", "case")
        .get(pk=offer.pk)
    )


@transaction.atomic
def proactive_offer_open(*, offer: ProactiveOffer, actor: Actor) -> bool:
    """Mark the offer seen by its resident, the first time only (True then)."""
    updated = ProactiveOffer.objects.filter(pk=offer.pk, opened_at__isnull=True).update(
        opened_at=timezone.now()
    )
    if updated:
        offer.refresh_from_db(fields=["opened_at"])
        audit_record(
            actor=actor,
            action="proactive.offer_open",
            obj=offer,
            object_repr=f"{offer.rule_code}：{offer.applicant.display_name}",
        )
    return bool(updated)


@transaction.atomic
def proactive_offer_apply(*, offer: ProactiveOffer, actor: Actor) -> Case:
    """The resident's 去办理: the offer's draft application, prefilled from their profile
    and linked to the offer; the same case when one was opened for this offer already."""
    offer = _locked(offer)
    if offer.case is not None:
        return offer.case
    case = offer_case_start(offer=offer, actor=actor)
    audit_record(
        actor=actor,
        action="proactive.offer_apply",
        obj=offer,
        object_repr=f"{offer.rule_code}：{offer.applicant.display_name}",
        changes={"case": case.number},
    )
    return case


@transaction.atomic
def proactive_offer_confirm(*, offer: ProactiveOffer, actor: Actor) -> Case:
    """The resident's one tap on a 免申即享 application: submit the draft opened for them;
    it then goes through the normal pre-check. A repeated tap changes nothing."""
    offer = _locked(offer)
    case = offer.case
    if case is None:
        raise ValidationError({"case": "这条推送没有为您建好的申请"})
    if case.status != CaseStatus.DRAFT:
        return case
    case = case_services.case_submit(
        case=case, actor=actor, idempotency_key=offer_key(offer, "submit")
    )
    audit_record(
        actor=actor,
        action="proactive.offer_confirm",
        obj=offer,
        object_repr=f"{offer.rule_code}：{offer.applicant.display_name}",
        changes={"case": case.number},
    )
    return case
