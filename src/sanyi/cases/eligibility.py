"""What the server knows about a known applicant for an item's eligibility rules
(catalog.eligibility): age from the ID number, area from the address, applicant kind,
e-licences held and cases open for the same item.

The catalogue's guide page asks for these facts through the fact source registered from
``CasesConfig.ready()``; intake and the window use ``applicant_eligibility``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from stdnum.cn import ric

from sanyi.applicants.auth import current_applicant
from sanyi.applicants.models import Applicant
from sanyi.cases.choices import FINAL_STATUSES, CaseStatus
from sanyi.cases.models import Case
from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.eligibility import (
    LICENCE_PREFIX,
    Eligibility,
    area_facts,
    check_rules,
    fields_read,
    register_applicant_source,
    register_fact_source,
    rules_of,
)
from sanyi.catalog.models import ImplementationItem, ItemVersion
from sanyi.orgs.areas import area_from_address


def age_on(id_number: str, on: dt.date) -> int | None:
    """Full years of age on ``on`` from a resident ID number (None when it has no valid
    birth date)."""
    try:
        born = ric.get_birth_date(id_number)
    except Exception:  # stdnum raises its own errors for any malformed number
        return None
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def applicant_facts(
    applicant: Applicant,
    item: ImplementationItem,
    *,
    on: dt.date,
    fields: Sequence[str] = (),
    exclude_case: Case | None = None,
) -> dict[str, Any]:
    """The facts the server can vouch for. ``fields`` names the e-licences the rules ask
    about (a licence not held is a known "no"); ``exclude_case`` is the case being decided,
    which does not count as another open case."""
    facts: dict[str, Any] = {"applicant_kind": str(applicant.kind)}
    if applicant.is_person:
        age = age_on(applicant.id_number, on)
        if age is not None:
            facts["age"] = age
    area = area_from_address(applicant.address)
    if area is not None:
        facts.update(area_facts(area.subdistrict.code, area.community))
    others = Case.objects.filter(
        applicant=applicant, implementation_item__base_item_id=item.base_item_id
    ).exclude(status__in=(*FINAL_STATUSES, CaseStatus.DRAFT))
    if exclude_case is not None:
        others = others.exclude(pk=exclude_case.pk)
    facts["has_open_case"] = others.exists()
    wanted = [name for name in fields if name.startswith(LICENCE_PREFIX)]
    if wanted:
        from sanyi.licences.selectors import licences_of

        held = set(licences_of(applicant, only_valid=True).values_list("name", flat=True))
        for name in wanted:
            facts[name] = name[len(LICENCE_PREFIX) :] in held
    return facts


def applicant_eligibility(
    applicant: Applicant,
    version: ItemVersion,
    *,
    on: dt.date | None = None,
    exclude_case: Case | None = None,
) -> Eligibility:
    """The applicant against the version's rules, from what the server knows."""
    rules = rules_of(version)
    if not rules:
        return check_rules([], {})
    fields = [name for rule in rules for name in fields_read(rule["logic"])]
    facts = applicant_facts(
        applicant,
        version.implementation_item,
        on=on or timezone.localdate(),
        fields=fields,
        exclude_case=exclude_case,
    )
    return check_rules(rules, facts)


def _request_facts(request: HttpRequest, item: ImplementationItem) -> dict[str, Any]:
    applicant = current_applicant(request)
    if applicant is None:
        return {}
    version = item.versions.filter(status=VersionStatus.PUBLISHED).first()
    rules = rules_of(version) if version is not None else []
    if not rules:
        return {}  # nothing to check: spare the guide page the queries
    fields = [name for rule in rules for name in fields_read(rule["logic"])]
    return applicant_facts(applicant, item, on=timezone.localdate(), fields=fields)


def _chosen_applicant(applicant_id: int, version: ItemVersion) -> tuple[str, dict] | None:
    """A clerk's chosen applicant, for the eligibility API: the masked name and facts."""
    applicant = Applicant.objects.filter(pk=applicant_id).first()
    if applicant is None:
        return None
    rules = rules_of(version)
    fields = [name for rule in rules for name in fields_read(rule["logic"])]
    facts = applicant_facts(
        applicant, version.implementation_item, on=timezone.localdate(), fields=fields
    )
    return applicant.display_name, facts


def register() -> None:
    """Let the guide page know the signed-in applicant's facts, and the eligibility API a
    clerk's chosen applicant's."""
    register_fact_source(_request_facts)
    register_applicant_source(_chosen_applicant)
