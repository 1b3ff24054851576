"""The daily run: every published rule over the day's triggers, the extra condition
checked with the eligibility evaluator over the same facts the eligibility rules use,
then one offer per new (rule, resident, trigger), audited and sent on commit.

The number of queries depends on the number of rules (and, for area facts, of
candidates), not on the number of applicants (docs/proactive.md, "Cost").
"""

from __future__ import annotations

import datetime as dt
import logging
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from sanyi.applicants.models import Applicant
from sanyi.audit.services import audit_record
from sanyi.cases.choices import FINAL_STATUSES, CaseStatus
from sanyi.cases.eligibility import age_on
from sanyi.cases.models import Case
from sanyi.cases.services import case_submit
from sanyi.catalog.eligibility import LICENCE_PREFIX, area_facts, evaluate, fields_read
from sanyi.core.actors import Actor
from sanyi.core.ids import mask_id
from sanyi.licences.models import ELicence, LicenceStatus
from sanyi.notify.services import is_mobile, notify_applicant
from sanyi.orgs.areas import area_from_address
from sanyi.proactive.choices import OfferAction, OfferChannel, RuleStatus
from sanyi.proactive.models import ProactiveOffer, ProactiveOptOut, ProactiveRule
from sanyi.proactive.services.offers import offer_case_start, offer_key
from sanyi.proactive.services.triggers import TRIGGERS, Candidate

logger = logging.getLogger(__name__)

AREA_FIELDS = {"in_district", "subdistrict", "community"}


@dataclass
class OfferPlan:
    """One offer the run makes (or, in a dry run, would make)."""

    rule_code: str
    rule_version: int
    rule_name: str
    applicant_id: int
    applicant_masked: str
    item_code: str
    item_name: str
    reason: str
    trigger_key: str
    action: str
    link: str
    offer_id: int | None = None
    case_number: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule_code,
            "rule_version": self.rule_version,
            "applicant": self.applicant_masked,
            "item": self.item_name,
            "item_code": self.item_code,
            "reason": self.reason,
            "trigger": self.trigger_key,
            "action": self.action,
            "link": self.link,
            "offer": self.offer_id,
            "case": self.case_number,
        }


def apply_link(implementation_code: str) -> str:
    """The portal page where a resident applies for the item online."""
    try:
        return reverse("cases:apply", args=[implementation_code])
    except NoReverseMatch:  # an item code the URL pattern refuses: the service guide list
        return "/services/"


def _reason(rule: ProactiveRule, context: dict[str, Any]) -> str:
    values = {"item": rule.item.base_item.name, **context}
    fields = {name for _, name, _, _ in string.Formatter().parse(rule.reason) if name}
    values.update(dict.fromkeys(fields - set(values), ""))
    return rule.reason.format_map(values)[:300]


def _facts(
    rule: ProactiveRule, candidates: Sequence[Candidate], on: dt.date
) -> dict[int, dict[str, Any]]:
    """The eligibility facts (catalog.eligibility vocabulary) of each candidate, as
    ``cases.eligibility.applicant_facts`` computes them, in a fixed number of queries:
    only the facts the condition reads beyond age and applicant kind cost a query."""
    read = set(fields_read(rule.condition)) if rule.condition else set()
    ids = {c.applicant.pk for c in candidates}
    open_ids: set[int] = set()
    if "has_open_case" in read:
        open_ids = set(
            Case.objects.filter(
                applicant_id__in=ids, implementation_item__base_item_id=rule.item.base_item_id
            )
            .exclude(status__in=(*FINAL_STATUSES, CaseStatus.DRAFT))
            .values_list("applicant_id", flat=True)
        )
    wanted = [name for name in read if name.startswith(LICENCE_PREFIX)]
    held: set[tuple[int, str]] = set()
    if wanted:
        held = set(
            ELicence.objects.filter(holder_id__in=ids, status=LicenceStatus.VALID)
            .exclude(valid_until__lt=on)
            .values_list("holder_id", "name")
        )
    facts: dict[int, dict[str, Any]] = {}
    for candidate in candidates:
        applicant = candidate.applicant
        row: dict[str, Any] = {"applicant_kind": str(applicant.kind)}
        age = age_on(applicant.id_number, on) if applicant.is_person else None
        if age is not None:
            row["age"] = age
        if read & AREA_FIELDS:
            area = area_from_address(applicant.address)
            if area is not None:
                row.update(area_facts(area.subdistrict.code, area.community))
        row["has_open_case"] = applicant.pk in open_ids
        for name in wanted:
            row[name] = (applicant.pk, name[len(LICENCE_PREFIX) :]) in held
        facts[applicant.pk] = row
    return facts


def _new_candidates(rule: ProactiveRule, candidates: list[Candidate]) -> list[Candidate]:
    """Drop the opted-out residents and the triggers already offered (two queries)."""
    ids = {c.applicant.pk for c in candidates}
    if not ids:
        return []
    opted_out = set(
        ProactiveOptOut.objects.filter(applicant_id__in=ids)
        .filter(Q(rule_code="") | Q(rule_code=rule.code))
        .values_list("applicant_id", flat=True)
    )
    done = set(
        ProactiveOffer.objects.filter(rule_code=rule.code, applicant_id__in=ids).values_list(
            "applicant_id", "trigger_key"
        )
    )
    seen: set[tuple[int, str]] = set()
    fresh = []
    for c in candidates:
        key = (c.applicant.pk, c.trigger_key)
        if c.applicant.pk in opted_out or key in done or key in seen:
            continue
        seen.add(key)
        fresh.append(c)
    return fresh


def rule_plans(rule: ProactiveRule, on: dt.date) -> list[OfferPlan]:
    """The offers one rule makes on ``on``: triggered, new, and meeting its condition."""
    candidates = _new_candidates(rule, list(TRIGGERS[rule.trigger_kind](rule, on)))
    facts = _facts(rule, candidates, on) if rule.condition else {}
    plans = []
    for c in candidates:
        if rule.condition and not evaluate(rule.condition, facts[c.applicant.pk]):
            continue
        context = {**c.context}
        if "age" in facts.get(c.applicant.pk, {}):
            context.setdefault("age", facts[c.applicant.pk]["age"])
        plans.append(_plan(rule, c.applicant, c.trigger_key, context))
    return plans


def _plan(rule: ProactiveRule, applicant: Applicant, key: str, context: dict) -> OfferPlan:
    code = rule.item.implementation_code
    return OfferPlan(
        rule_code=rule.code,
        rule_version=rule.version,
        rule_name=rule.name,
        applicant_id=applicant.pk,
        applicant_masked=f"{applicant.display_name}（{mask_id(applicant.id_number)}）",
        item_code=code,
        item_name=rule.item.base_item.name,
        reason=_reason(rule, context),
        trigger_key=key,
        action=rule.action,
        link=apply_link(code),
    )


def proactive_run(*, on: dt.date, actor: Actor, dry_run: bool = False) -> list[OfferPlan]:
    """Run every published rule for the day ``on``. A dry run writes nothing and returns
    what would be offered; otherwise each offer is saved, audited and sent to the resident
    when the transaction commits; for 免申即享 rules its case is opened (and, when the rule
    needs no confirmation, submitted) in the same transaction. Running twice offers
    nothing new. An offer whose case the cases app refuses is not made (logged)."""
    rules = list(
        ProactiveRule.objects.filter(status=RuleStatus.PUBLISHED)
        .select_related("item__base_item")
        .order_by("code")
    )
    plans = [plan for rule in rules for plan in rule_plans(rule, on)]
    if dry_run:
        return plans
    by_code = {rule.code: rule for rule in rules}
    made = []
    for plan in plans:
        try:
            offer = _offer_make(plan=plan, rule=by_code[plan.rule_code], on=on, actor=actor)
        except ValidationError as exc:  # the case was refused: nothing of this offer is kept
            logger.warning("主动服务 %s 未推送：%s", plan.rule_code, "；".join(exc.messages))
            continue
        if offer is not None:
            plan.offer_id = offer.pk
            plan.link = offer_link(offer.pk)
            plan.case_number = offer.case.number if offer.case else ""
            made.append(plan)
    return made


def offer_link(offer_id: int) -> str:
    """The resident's landing page of one offer (marks it seen, leads to the application)."""
    return reverse("proactive_my:offer", args=[offer_id])


@transaction.atomic
def _offer_make(
    *, plan: OfferPlan, rule: ProactiveRule, on: dt.date, actor: Actor
) -> ProactiveOffer | None:
    """Save one offer with its audit row (and, 免申即享, its case); None when a concurrent
    run made it first. All or nothing: a refused case leaves no offer behind."""
    applicant = Applicant.objects.get(pk=plan.applicant_id)
    channel = OfferChannel.SMS if is_mobile(applicant.phone) else OfferChannel.IN_APP
    try:
        with transaction.atomic():
            offer = ProactiveOffer.objects.create(
                rule=rule,
                rule_code=rule.code,
                rule_version=rule.version,
                applicant=applicant,
                item=rule.item,
                reason=plan.reason,
                trigger_key=plan.trigger_key,
                action=rule.action,
                channel=channel,
                offered_on=on,
                sent_at=timezone.now(),
            )
    except IntegrityError:  # the unique (rule, resident, trigger): offered already
        return None
    audit_record(
        actor=actor,
        action="proactive.offer",
        obj=offer,
        object_repr=f"{rule.name}：{applicant.display_name}",
        changes={"rule": f"{rule.code} v{rule.version}", "trigger": plan.trigger_key},
    )
    if rule.action == OfferAction.AUTO_CASE:
        _auto_case(offer=offer, rule=rule, actor=actor, on=on)
    transaction.on_commit(lambda: _send(offer, plan, applicant))
    return offer


def _auto_case(*, offer: ProactiveOffer, rule: ProactiveRule, actor: Actor, on: dt.date) -> None:
    """免申即享: the resident's application, prefilled from their profile, opened for them;
    submitted at once when the rule needs no confirmation."""
    case = offer_case_start(offer=offer, actor=actor)
    if not rule.confirm_required:
        case_submit(case=case, actor=actor, idempotency_key=offer_key(offer, "submit"), on=on)
    audit_record(
        actor=actor,
        action="proactive.offer_case",
        obj=offer,
        object_repr=f"{rule.name}：{offer.applicant.display_name}",
        changes={"case": case.number, "confirm_required": rule.confirm_required},
    )


def _send(offer: ProactiveOffer, plan: OfferPlan, applicant: Applicant) -> None:
    if offer.case is None:
        subject = f"可以办理：{plan.item_name}"
        body = f"{plan.reason}。点击链接查看并在网上申请；不想再收到此类提醒，可在页面上关闭。"
    elif offer.rule.confirm_required:
        subject = f"免申即享：{plan.item_name}"
        body = f"{plan.reason}。我们已按您的资料为您填好申请，点击链接确认后即提交。"
    else:
        subject = f"免申即享：{plan.item_name}"
        body = f"{plan.reason}。我们已按您的资料为您提交申请，办理进度会另行通知。"
    notify_applicant(
        applicant=applicant,
        event="proactive.offer",
        subject=subject,
        body=body,
        link=offer_link(offer.pk),
        obj=offer,
        dedupe_key=f"proactive-offer-{offer.pk}",
    )
