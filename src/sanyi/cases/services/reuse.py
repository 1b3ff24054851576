"""Materials never asked twice (信息跑路): what the platform already holds is attached to a
new application by itself.

The matching rule (docs/cases-applying.md): a checklist row matches when its catalogue
material's name, normalised by :func:`material_key` (spaces dropped, full-width brackets
made half-width, a trailing "电子证照" or "(电子证照)" dropped, case folded), equals

1. the normalised name of a valid e-licence the applicant holds (status 有效, not past its
   end date, not revoked): the row is filled from the licence (origin 复用电子证照); else
2. the normalised name of a material the applicant provided in an earlier case that was
   checked 合格 and carries a file, still within the validity of the material being asked
   for: the row is filled from the latest such copy (origin 复用以前提交的材料).

How long a copy stays valid is said by the catalogue material (``Material.reuse``):
受理审核后若干天内 (its ``reuse_days``), 证件有效期内 (only an e-licence, which carries its
own end date; a copy's own expiry is not known, so an earlier copy is not attached), 不可复用
(nothing is attached, not even a licence), or nothing said: the platform's default
``SANYI_MATERIAL_REUSE_DAYS`` (365 days). A copy checked on day D with N days is usable up to
and including D+N. When attaching, the row being filled decides; the wallet page, which
lists copies without a new application, uses the rule the copy was accepted under.

Nothing is attached without the applicant's open consent (``ReuseConsent``, granted on the
wallet page, on the application or at the counter, audited, withdrawable); a consent for
e-licences only attaches no earlier copy. Withdrawing stops every later attachment but
leaves submitted cases as they are. Shared-data rows (共享获取) are never asked for and are
left as they are. Only rows still waiting for a file are filled, so an applicant's own
upload is never replaced; the applicant may still upload another file over an attached one.
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
from sanyi.catalog.choices import MaterialReuse
from sanyi.core.actors import Actor

if TYPE_CHECKING:
    from sanyi.applicants.models import Applicant
    from sanyi.catalog.models import Material
    from sanyi.licences.models import ELicence

DEFAULT_REUSE_DAYS = 365
_SUFFIX = re.compile(r"(\(电子证照\)|电子证照)$")


def material_key(name: str) -> str:
    """The identity a material is matched by (see the module docstring)."""
    text = re.sub(r"[\s\u3000]+", "", name or "").replace("（", "(").replace("）", ")")
    return _SUFFIX.sub("", text).casefold()


def reuse_days() -> int:
    """The platform's default: how long a checked material stays reusable (days since it
    was checked) when its catalogue material says nothing."""
    return int(getattr(settings, "SANYI_MATERIAL_REUSE_DAYS", DEFAULT_REUSE_DAYS))


def accepted_on(copy: CaseMaterial) -> dt.date | None:
    """The day a copy was accepted (checked 合格; before checking, uploaded)."""
    when = copy.checked_at or copy.uploaded_at
    return timezone.localdate(when) if when is not None else None


def copy_valid_until(copy: CaseMaterial, material: Material | None) -> dt.date | None:
    """The last day ``copy`` may be reused for ``material`` (the catalogue's rule; None for
    no rule at all means the default), or None when it may not be reused."""
    accepted = accepted_on(copy)
    rule = material.reuse if material is not None else MaterialReuse.DEFAULT
    if accepted is None or rule in (MaterialReuse.NEVER, MaterialReuse.EXPIRY):
        return None
    days = material.reuse_days if material is not None and rule == MaterialReuse.DAYS else None
    return accepted + dt.timedelta(days=reuse_days() if days is None else days)


def licence_allowed(material: Material | None) -> bool:
    """Whether an e-licence may fill a row of ``material`` (its own validity decides)."""
    return material is None or material.reuse != MaterialReuse.NEVER


def valid_licences(applicant: Applicant, on: dt.date) -> list[ELicence]:
    """The applicant's e-licences usable on ``on`` (valid, within their own dates, not
    revoked), newest first (one query)."""
    from sanyi.licences.models import ELicence, LicenceStatus

    return [
        lic
        for lic in ELicence.objects.filter(holder=applicant, status=LicenceStatus.VALID)
        .select_related("case")
        .order_by("-issued_on", "-pk")
        if lic.status_on(on) == LicenceStatus.VALID
        and (lic.valid_from is None or lic.valid_from <= on)
    ]


def latest_copies(
    applicant: Applicant, *, exclude_case: int | None = None
) -> dict[str, CaseMaterial]:
    """The latest checked copy of each earlier material, by key (one query)."""
    qs = (
        CaseMaterial.objects.filter(case__applicant=applicant, status=MaterialStatus.OK)
        .exclude(file="")
        .select_related("case", "material")
        .order_by("-checked_at", "-uploaded_at", "-pk")
    )
    if exclude_case is not None:
        qs = qs.exclude(case_id=exclude_case)
    latest: dict[str, CaseMaterial] = {}
    for m in qs:
        if accepted_on(m) is not None:
            latest.setdefault(material_key(m.name), m)
    return latest


def reusable_materials(
    applicant: Applicant, on: dt.date, *, exclude_case: int | None = None
) -> list[CaseMaterial]:
    """The latest checked copy of each earlier material that is still valid on ``on`` under
    the rule it was accepted under, newest first (one query)."""
    return [
        m
        for m in latest_copies(applicant, exclude_case=exclude_case).values()
        if (until := copy_valid_until(m, m.material)) is not None and until >= on
    ]


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
    (only with consent, each within the validity of the row's catalogue material), and
    point shared-data rows at a matching licence. Runs inside the caller's transaction with
    the case locked; returns what was attached (for the audit row)."""
    from sanyi.applicants.selectors import reuse_consent_of

    applicant = case.applicant
    licences: dict[str, ELicence] = {}
    for held in valid_licences(applicant, on):
        licences.setdefault(material_key(held.name), held)
    attached = _link_shared(case, licences) if licences else []
    consent = reuse_consent_of(applicant)
    if consent is None:
        return attached
    waiting = list(
        case.materials.filter(
            origin=MaterialOrigin.UPLOAD,
            status=MaterialStatus.PENDING,
            file="",
            licence__isnull=True,
        )
        .select_related("material")
        .select_for_update(of=("self",))
    )
    if not waiting:
        return attached
    earlier = latest_copies(applicant, exclude_case=case.pk) if consent.covers_materials() else {}
    now = timezone.now()
    for cm in waiting:
        key = material_key(cm.name)
        lic = licences.get(key) if licence_allowed(cm.material) else None
        src = earlier.get(key)
        if src is not None and (
            (until := copy_valid_until(src, cm.material)) is None or until < on
        ):
            src = None
        if lic is None and src is None:
            continue
        attached.append(_fill(cm, lic, src))
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
