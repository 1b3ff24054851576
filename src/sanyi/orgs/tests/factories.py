"""Test data for org units, service centers and staff, built through the services."""

from __future__ import annotations

import datetime as dt
import itertools

from sanyi.core.ids import make_uscc
from sanyi.orgs import services
from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter, User

_seq = itertools.count(1)
SYSTEM = "系统：测试"


def unique_uscc() -> str:
    n = next(_seq)
    return make_uscc(f"11350100{n:09d}")


def district(**fields) -> OrgUnit:
    n = next(_seq)
    fields.setdefault("division_code", f"35{n % 100:02d}01000000")
    return services.org_unit_create(
        actor=SYSTEM, kind=OrgKind.DISTRICT, name=fields.pop("name", f"测试区{n}"), **fields
    )


def unit(parent: OrgUnit, kind: str, **fields) -> OrgUnit:
    n = next(_seq)
    label = {
        "subdistrict": "街道",
        "community": "社区",
        "grid": "网格",
        "department": "局",
        "station": "所",
    }[kind]
    return services.org_unit_create(
        actor=SYSTEM,
        kind=kind,
        parent=parent,
        name=fields.pop("name", f"测试{label}{n}"),
        **fields,
    )


def tree() -> dict[str, OrgUnit]:
    """A small district: two subdistricts with a community and a grid each, a department."""
    d = district()
    s1, s2 = unit(d, OrgKind.SUBDISTRICT), unit(d, OrgKind.SUBDISTRICT)
    c1, c2 = unit(s1, OrgKind.COMMUNITY), unit(s2, OrgKind.COMMUNITY)
    return {
        "district": d,
        "sub1": s1,
        "sub2": s2,
        "comm1": c1,
        "comm2": c2,
        "grid1": unit(c1, OrgKind.GRID),
        "grid2": unit(c2, OrgKind.GRID),
        "dept": unit(d, OrgKind.DEPARTMENT, uscc=unique_uscc()),
    }


def center(org_unit: OrgUnit, windows: int = 2, **fields) -> ServiceCenter:
    c = services.service_center_create(
        actor=SYSTEM,
        org_unit=org_unit,
        name=fields.pop("name", f"{org_unit.name}便民服务中心"),
        address=fields.pop("address", "测试路1号"),
        opening_hours=fields.pop("opening_hours", "工作日 9:00-17:00"),
        **fields,
    )
    for i in range(1, windows + 1):
        services.window_create(actor=SYSTEM, center=c, number=str(i), name=f"综合窗口{i}")
    return c


def staff(org_unit: OrgUnit, role: str, *, username: str | None = None, window=None) -> User:
    n = next(_seq)
    user = services.staff_create(
        actor=SYSTEM,
        username=username or f"{role}{n}",
        password="Test-Passw0rd!",
        full_name=f"测试{n}",
    )
    services.role_assign(actor=SYSTEM, user=user, org_unit=org_unit, role=role, window=window)
    return user


def abolished(org_unit: OrgUnit, on=None) -> OrgUnit:
    """Trait: the unit abolished (it must have no active children, roles or centers)."""
    return services.org_unit_abolish(
        actor=SYSTEM, unit=org_unit, on=on or dt.date(2026, 1, 5), reason="测试撤销"
    )


__all__ = ["Role", "abolished", "center", "district", "staff", "tree", "unit"]
