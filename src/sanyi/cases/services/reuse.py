"""Materials never asked twice (信息跑路): what the platform already holds is attached to a
new application by itself.

The matching rule (docs/cases-applying.md): a checklist row matches when its catalogue
material's name, normalised by :func:`material_key` (spaces dropped, full-width brackets
made half-width, a trailing "电子证照" or "(电子证照)" dropped, case folded), equals

1. the normalised name of a valid e-licence the applicant holds (status 有效, not past its
   end date): the row is filled from the licence (origin 复用电子证照); else
2. the normalised name of a material the applicant provided in an earlier case that was
   checked 合格 and carries a file, checked (or uploaded) within the reuse validity
   (``SANYI_MATERIAL_REUSE_DAYS``, default 365 days): the row is filled from the latest such
   copy (origin 复用以前提交的材料).

Nothing is attached without the applicant's consent (``Applicant.wallet_consent``, given
on the wallet page or on the application, audited, withdrawable); withdrawing stops every
later attachment. Shared-data rows (共享获取) are never asked for and are left as they are.
Only rows still waiting for a file are filled, so an applicant's own upload is never
replaced; the applicant may still upload another file over an attached one.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

from sanyi.cases.choices import CaseStatus, MaterialOrigin, MaterialStatus
from sanyi.cases.models import Case, CaseMaterial
from sanyi.cases.services._common import _audit_step, _day, _transition
from sanyi.core.actors import Actor

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.licences.models import ELicence

DEFAULT_REUSE_DAYS = 365
_SUFFIX = re.compile(r"(\(电子证照\)|电子证照)$")


def material_key(name: str) -> str:
    """The identity a material is matched by (see the module docstring)."""
    text = re.sub(r"[\s\u3000]+", "", name or "").replace("（", "(").replace("）", ")")
    return _SUFFIX.sub("", text).casefold()


def reuse_days() -> int:
    """How long a checked material stays reusable (days since it was checked)."""
    return int(getattr(settings, "SANYI_MATERIAL_REUSE_DAYS", DEFAULT_REUSE_DAYS))


def reusable_since(on: dt.date) -> dt.date:
    return on - dt.timedelta(days=reuse_days())


def valid_licences(applicant: Applicant, on: dt.date) -> list[ELicence]:
    """The applicant's e-licences usable on ``on``, newest first (one query)."""
    from sanyi.licences.models import ELicence, LicenceStatus

    return [
        lic
        for lic in ELicence.objects.filter(holder=applicant, status=LicenceStatus.VALID)
        .select_related("case")
        .order_by("-issued_on", "-pk")
        if lic.valid_until is None or lic.valid_until >= on
    ]


def reusable_materials(
    applicant: Applicant, on: dt.date, *, exclude_case: int | None = None
) -> list[CaseMaterial]:
    """The latest still-valid checked copy of each earlier material (one per key), newest
    first (one query)."""
    since = reusable_since(on)
    qs = (
        CaseMaterial.objects.filter(case__applicant=applicant, status=MaterialStatus.OK)
        .exclude(file="")
        .select_related("case")
        .order_by("-checked_at", "-uploaded_at", "-pk")
    )
    if exclude_case is not None:
        qs = qs.exclude(case_id=exclude_case)
    latest: dict[str, CaseMaterial] = {}
    for m in qs:
        when = m.checked_at or m.uploaded_at
        if when is None or timezone.localdate(when) < since:
            continue
        latest.setdefault(material_key(m.name), m)
    return list(latest.values())


def _link_shared(case: Case, licences: dict[str, ELicence]) -> list[str]:
    """Shared-data rows the platform holds as an e-licence of the applicant point at it, so
    staff see where the shared material came from (no consent needed: the catalogue says
    the platform obtains it; the applicant is never asked for it either way)."""
    linked = []
    for cm in case.materials.filter(status=MaterialStatus.SHARED, licence__isnull=True):
        lic = licences.get(material_key(cm.name))
        if lic is not None:
            cm.licence = lic
            cm.save(update_fields=["licence"])
            linked.append(f"{cm.name}←电子证照{lic.number}（数据共享）")
    return linked


def _fill(cm: CaseMaterial, lic: ELicence | None, src: CaseMaterial | None) -> str:
    if lic is not None:
        cm.origin, cm.licence, cm.reused_from = MaterialOrigin.LICENCE, lic, None
        return f"{cm.name}←电子证照{lic.number}"
    assert src is not None
    cm.file = src.file.name
    cm.content_type, cm.size = src.content_type, src.size
    cm.pages, cm.sha256 = src.pages, src.sha256
    cm.origin, cm.reused_from, cm.licence = MaterialOrigin.WALLET, src, None
    return f"{cm.name}←办件{src.case.number}"


def attach_reusable(case: Case, *, on: dt.date) -> list[str]:
    """Fill the case's waiting rows from the applicant's licences and earlier materials
    (only with consent), and point shared-data rows at a matching licence. Runs inside the
    caller's transaction with the case locked; returns what was attached (for the audit
    row)."""
    applicant = case.applicant
    licences: dict[str, ELicence] = {}
    for lic in valid_licences(applicant, on):
        licences.setdefault(material_key(lic.name), lic)
    attached = _link_shared(case, licences) if licences else []
    if not applicant.wallet_consent:
        return attached
    waiting = list(
        case.materials.filter(
            origin=MaterialOrigin.UPLOAD,
            status=MaterialStatus.PENDING,
            file="",
            licence__isnull=True,
        ).select_for_update()
    )
    if not waiting:
        return attached
    earlier = {
        material_key(m.name): m for m in reusable_materials(applicant, on, exclude_case=case.pk)
    }
    now = timezone.now()
    for cm in waiting:
        key = material_key(cm.name)
        if key not in licences and key not in earlier:
            continue
        attached.append(_fill(cm, licences.get(key), earlier.get(key)))
        cm.uploaded_at = now
        cm.save()
    return attached


def case_materials_autofill(*, case: Case, actor: Actor, on: dt.date | None = None) -> Case:
    """Attach what the platform holds to a draft (or an application sent back), e.g. right
    after the applicant gave consent on the application. Audited when anything was
    attached."""
    on = _day(on)
    with _transition(
        case, actor, (CaseStatus.DRAFT, CaseStatus.PRECHECK_RETURNED), "自动复用材料"
    ) as step:
        attached = attach_reusable(step.obj, on=on)
        if attached:
            _audit_step(step, "material_autofill", {"attached": attached})
        else:
            step.unchanged()
    return step.obj
