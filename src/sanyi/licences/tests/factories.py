"""E-licence test data, built through the services.

``world()`` builds a district with two departments that issue licences (``dept`` and
``dept2``, each with a published item), a holder, and staff on every side of the rules:
``approver`` (approver of ``dept``: may revoke its licences), ``district_approver`` (above
it: may too), ``approver2`` (of ``dept2``: may not), ``clerk`` and ``supervisor`` (read,
may not revoke), ``outsider`` (another subdistrict: sees nothing), ``nobody`` (no role).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sanyi.applicants.tests import factories as applicant_f
from sanyi.cases.models import Case
from sanyi.catalog.tests import factories as catalog_f
from sanyi.licences import services
from sanyi.licences.models import ELicence
from sanyi.orgs import services as org_services
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)


def world() -> dict[str, Any]:
    units = catalog_f.org()
    units["dept2"] = org_f.unit(units["district"], OrgKind.DEPARTMENT, uscc=org_f.unique_uscc())
    w: dict[str, Any] = dict(units)
    w["version"] = catalog_f.item(unit=units["dept"], status="published")
    w["version2"] = catalog_f.item(unit=units["dept2"], status="published")
    w["holder"] = applicant_f.person(name="王小明")
    w["approver"] = org_f.staff(units["dept"], Role.APPROVER)
    w["district_approver"] = org_f.staff(units["district"], Role.APPROVER)
    w["approver2"] = org_f.staff(units["dept2"], Role.APPROVER)
    w["clerk"] = org_f.staff(units["dept"], Role.WINDOW_CLERK)
    w["supervisor"] = org_f.staff(units["district"], Role.SUPERVISOR)
    w["outsider"] = org_f.staff(units["sub2"], Role.APPROVER)
    w["nobody"] = org_services.staff_create(
        actor=SYSTEM, username=f"norole{next(_seq)}", password="Test-Passw0rd!", full_name="无角色"
    )
    return w


def case(w: dict[str, Any], *, version=None, holder=None) -> Case:
    """A concluded case of ``version`` (default: the ``dept`` item)."""
    version = version or w["version"]
    return Case.objects.create(
        number=f"LIC-{next(_seq):05d}",
        applicant=holder or w["holder"],
        implementation_item=version.implementation_item,
        item_version=version,
        channel="window",
        status="concluded",
        unit=w["district"],
        current_unit=version.implementation_item.implementing_unit,
    )


def licence(
    w: dict[str, Any],
    *,
    name: str = "食品经营许可证",
    valid_from: dt.date = dt.date(2026, 3, 2),
    valid_until: dt.date | None = dt.date(2031, 3, 1),
    issued_on: dt.date = dt.date(2026, 3, 2),
    case_: Case | None = None,
    actor: Any = SYSTEM,
    **fields,
) -> ELicence:
    return services.licence_issue(
        case=case_ or case(w),
        name=name,
        valid_from=valid_from,
        valid_until=valid_until,
        issued_on=issued_on,
        actor=actor,
        **fields,
    )


def revoked(w: dict[str, Any], *, reason: str = "证照被依法撤销", **fields) -> ELicence:
    return services.licence_revoke(licence=licence(w, **fields), reason=reason, actor=w["approver"])
