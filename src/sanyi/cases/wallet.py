"""Reading the applicant's wallet (电子证照和可复用材料) and counting reused materials.

Selectors only: the writes are ``sanyi.cases.services.reuse`` (attaching) and
``sanyi.applicants.services.reuse_consent_grant`` / ``reuse_consent_withdraw`` (consent).
What counts as reusable, and for how long, is the rule of ``reuse.py`` (each catalogue
material's validity; docs/cases-applying.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanyi.cases.choices import MaterialOrigin, MaterialStatus
from sanyi.cases.models import Case, CaseMaterial
from sanyi.cases.services.reuse import copy_valid_until, reusable_materials, reuse_days

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant, ReuseConsent
    from sanyi.licences.models import ELicence

# A result document an earlier case of the same life event produced counts as reused too:
# the platform already held it and nobody uploaded it.
REUSED_ORIGINS = (MaterialOrigin.WALLET, MaterialOrigin.LICENCE, MaterialOrigin.RESULT)
SUBMITTED_ORIGINS = (MaterialOrigin.UPLOAD, MaterialOrigin.PAPER)


@dataclass(frozen=True)
class WalletLicence:
    licence: ELicence
    status_label: str
    usable: bool
    source_case: str


@dataclass(frozen=True)
class WalletMaterial:
    material: CaseMaterial
    valid_until: dt.date
    source_case: str


@dataclass(frozen=True)
class Wallet:
    consent: ReuseConsent | None  # the open consent, if any
    history: list[ReuseConsent]  # every consent, newest first
    licences: list[WalletLicence]
    materials: list[WalletMaterial]
    reuse_days: int  # the platform's default, for materials whose catalogue says nothing

    @property
    def consent_at(self) -> dt.datetime | None:
        return self.consent.granted_at if self.consent else None


def wallet_of(applicant: Applicant, *, on: dt.date | None = None) -> Wallet:
    """The applicant's own wallet: every e-licence they hold (usable or not, with its
    validity and the case that issued it), each material still reusable, with the day it
    stops being reusable (by the catalogue rule it was accepted under) and the case it was
    accepted in, and the consent history. Three queries."""
    from sanyi.applicants.selectors import reuse_consent_history
    from sanyi.licences.models import ELicence, LicenceStatus

    on = on or timezone.localdate()
    licences = []
    for lic in (
        ELicence.objects.filter(holder=applicant).select_related("case").order_by("-issued_on")
    ):
        status = lic.status_on(on)
        licences.append(
            WalletLicence(
                licence=lic,
                status_label=LicenceStatus(status).label,
                usable=status == LicenceStatus.VALID,
                source_case=lic.case.number if lic.case else "",
            )
        )
    materials = []
    for m in reusable_materials(applicant, on):
        until = copy_valid_until(m, m.material)
        assert until is not None  # reusable_materials keeps only copies with a last day
        materials.append(WalletMaterial(material=m, valid_until=until, source_case=m.case.number))
    history = reuse_consent_history(applicant)
    return Wallet(
        consent=next((c for c in history if c.withdrawn_at is None), None),
        history=history,
        licences=licences,
        materials=materials,
        reuse_days=reuse_days(),
    )


@dataclass(frozen=True)
class MaterialCounts:
    """Checklist rows of a case (or of many): reused from the wallet or an e-licence,
    obtained through data sharing, and submitted by the applicant (an uploaded file, or a
    paper checked at the window; rows still waiting, or waived by a commitment, are not
    counted)."""

    reused: int = 0
    shared: int = 0
    submitted: int = 0

    @property
    def total(self) -> int:
        return self.reused + self.shared + self.submitted

    @property
    def reused_share(self) -> float | None:
        """Reused rows among the rows that needed a paper (reused + submitted)."""
        asked = self.reused + self.submitted
        return round(self.reused / asked, 4) if asked else None


def _count_aggregates() -> dict[str, Any]:
    return {
        "reused": Count("pk", filter=Q(origin__in=REUSED_ORIGINS)),
        "shared": Count("pk", filter=Q(origin=MaterialOrigin.SHARED)),
        # Provided by the applicant: a file, or a paper checked at the window. A row still
        # waiting for its file is not counted.
        "submitted": Count(
            "pk",
            filter=Q(origin__in=SUBMITTED_ORIGINS)
            & ~Q(file="", status__in=(MaterialStatus.PENDING, MaterialStatus.WAIVED)),
        ),
    }


def case_material_counts(case: Case) -> MaterialCounts:
    """The counts of one case (one query)."""
    return MaterialCounts(**CaseMaterial.objects.filter(case=case).aggregate(**_count_aggregates()))


def material_counts_by_case(cases: QuerySet[Case]) -> dict[int, MaterialCounts]:
    """The counts of many cases, keyed by case id (one query)."""
    rows = (
        CaseMaterial.objects.filter(case__in=cases)
        .values("case_id")
        .annotate(**_count_aggregates())
        .order_by()
    )
    return {r.pop("case_id"): MaterialCounts(**r) for r in rows}


def material_totals(versions: QuerySet) -> dict[str, Any]:
    """For the catalogue's reduction report: the rows of every case of the items of
    ``versions`` (any version of those items), reused versus submitted (one query)."""
    items = versions.values("implementation_item_id")
    counts = MaterialCounts(
        **CaseMaterial.objects.filter(case__implementation_item_id__in=items).aggregate(
            **_count_aggregates()
        )
    )
    return {
        "case_materials_reused": counts.reused,
        "case_materials_shared": counts.shared,
        "case_materials_submitted": counts.submitted,
        "case_materials_reused_share": counts.reused_share,
    }
