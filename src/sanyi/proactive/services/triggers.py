"""What fires a rule on a day: one query per rule over the platform's own data, never a
loop over all applicants. Each trigger returns candidates with the key that makes the
offer happen once (docs/proactive.md, "Triggers")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Length, Substr
from django.utils import timezone

from sanyi.applicants.models import Applicant, ApplicantKind
from sanyi.cases.choices import CaseStatus
from sanyi.cases.models import Case
from sanyi.grid.models import EventReport
from sanyi.licences.models import ELicence, LicenceStatus
from sanyi.proactive.choices import TriggerKind
from sanyi.proactive.models import ProactiveRule

CONCLUDED = (CaseStatus.CONCLUDED, CaseStatus.DELIVERED)


@dataclass
class Candidate:
    applicant: Applicant
    trigger_key: str
    context: dict[str, Any] = field(default_factory=dict)


def _since(rule: ProactiveRule, on: dt.date) -> dt.date:
    """The first day whose events count: the day the rule was published, or
    ``lookback_days`` before it (a rule published today may look back at last month)."""
    published = timezone.localdate(rule.published_at) if rule.published_at else on
    return published - dt.timedelta(days=int(rule.trigger_params.get("lookback_days", 0)))


def age_reached(rule: ProactiveRule, on: dt.date) -> list[Candidate]:
    """Residents turning ``age`` this year whose birthday is on or before ``on``. The
    applicant table keeps no birth date: the filter reads the ID number's birth-date
    digits (positions 7-14), so the database does the work in one query."""
    age = int(rule.trigger_params["age"])
    year = on.year - age
    people = (
        Applicant.objects.annotate(id_len=Length("id_number"), born=Substr("id_number", 7, 8))
        .filter(kind=ApplicantKind.PERSON, id_len=18)
        .filter(born__gte=f"{year:04d}0101", born__lte=f"{year:04d}{on:%m%d}")
    )
    return [Candidate(a, f"age:{age}", {"age": age}) for a in people]


def licence_expiring(rule: ProactiveRule, on: dt.date) -> list[Candidate]:
    """Valid e-licences (of the name in ``licence``, when given) ending within each of
    ``days``; a licence inside the 30-day window is not also offered the 90-day one."""
    days = sorted({int(d) for d in rule.trigger_params["days"]})
    name = rule.trigger_params.get("licence", "")
    found: list[Candidate] = []
    query = Q()
    for index, limit in enumerate(days):
        after = on + dt.timedelta(days=days[index - 1] if index else 0)
        query |= Q(valid_until__gt=after, valid_until__lte=on + dt.timedelta(days=limit))
    licences = ELicence.objects.filter(query, status=LicenceStatus.VALID).select_related("holder")
    if name:
        licences = licences.filter(name=name)
    for licence in licences:
        assert licence.valid_until is not None  # the filter above
        left = (licence.valid_until - on).days
        limit = next(d for d in days if left <= d)
        context = {"licence": licence.name, "days": left}
        found.append(Candidate(licence.holder, f"licence:{licence.pk}:{limit}", context))
    return found


def _concluded(rule: ProactiveRule, on: dt.date) -> QuerySet[Case]:
    return Case.objects.filter(
        status__in=CONCLUDED,
        concluded_at__date__gte=_since(rule, on),
        concluded_at__date__lte=on,
    ).select_related("applicant", "implementation_item__base_item")


def case_concluded_of_item(rule: ProactiveRule, on: dt.date) -> list[Candidate]:
    """Cases of the item ``item_code`` (implementation or base code) concluded between
    the rule's publishing and ``on``."""
    code = str(rule.trigger_params["item_code"])
    cases = _concluded(rule, on).filter(
        Q(implementation_item__implementation_code=code)
        | Q(implementation_item__base_item__base_code=code)
    )
    return [
        Candidate(
            c.applicant, f"case:{c.pk}", {"trigger_item": c.implementation_item.base_item.name}
        )
        for c in cases
    ]


def life_event_member_concluded(rule: ProactiveRule, on: dt.date) -> list[Candidate]:
    """A case of a life-event bundle (一件事 ``life_event``) concluded: offer the rule's
    item once per bundle, unless the bundle already holds a case of that item."""
    cases = (
        _concluded(rule, on)
        .filter(bundle_member__bundle__life_event__name=rule.trigger_params["life_event"])
        .exclude(
            bundle_member__bundle__members__case__implementation_item__base_item_id=(
                rule.item.base_item_id
            )
        )
        .select_related("bundle_member__bundle")
        .order_by("concluded_at", "pk")
    )
    found: dict[int, Candidate] = {}
    for case in cases:
        bundle = case.bundle_member.bundle
        context = {"trigger_item": case.implementation_item.base_item.name}
        found.setdefault(bundle.pk, Candidate(case.applicant, f"bundle:{bundle.pk}", context))
    return list(found.values())


def grid_event_about_resident(rule: ProactiveRule, on: dt.date) -> list[Candidate]:
    """Grid event reports about a resident (of ``category``, when given) since the rule
    was published."""
    events = EventReport.objects.filter(
        applicant__isnull=False,
        created_at__date__gte=_since(rule, on),
        created_at__date__lte=on,
    ).select_related("applicant")
    category = rule.trigger_params.get("category")
    if category:
        events = events.filter(category=category)
    return [Candidate(e.applicant, f"event:{e.pk}") for e in events if e.applicant is not None]


TRIGGERS: dict[str, Callable[[ProactiveRule, dt.date], Iterable[Candidate]]] = {
    TriggerKind.AGE_REACHED: age_reached,
    TriggerKind.LICENCE_EXPIRING: licence_expiring,
    TriggerKind.CASE_CONCLUDED_OF_ITEM: case_concluded_of_item,
    TriggerKind.LIFE_EVENT_MEMBER_CONCLUDED: life_event_member_concluded,
    TriggerKind.GRID_EVENT_ABOUT_RESIDENT: grid_event_about_resident,
}
