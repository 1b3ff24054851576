"""A small world for grid work: a community with two grids (A and B), an officer on each,
a boundary over 文一路 and 学院路, and a community item whose second step, 入户调查, goes
to the applicant's grid."""

from __future__ import annotations

import io
from typing import Any

from sanyi.cases import services as case_services
from sanyi.cases.choices import TaskStatus
from sanyi.cases.models import Case, CaseTask
from sanyi.cases.tests import factories as case_f
from sanyi.catalog.tests import factories as catalog_f
from sanyi.grid.models import AddressRule, Parity
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f


def grid_world() -> dict[str, Any]:
    w = case_f.world()
    comm = w["comm1"]
    w["grid_a"] = org_f.unit(comm, OrgKind.GRID, name="测试第一网格")
    w["grid_b"] = org_f.unit(comm, OrgKind.GRID, name="测试第二网格")
    w["officer_a"] = org_f.staff(w["grid_a"], Role.GRID_OFFICER)
    w["officer_b"] = org_f.staff(w["grid_b"], Role.GRID_OFFICER)
    rules = [
        (w["grid_a"], "文一路", Parity.ODD, 1, 99, None, None),
        (w["grid_b"], "文一路", Parity.EVEN, 2, 100, None, None),
        (w["grid_a"], "学院路", Parity.ALL, 1, 200, None, None),
        (w["grid_b"], "学院路", Parity.ALL, 12, 12, 1, 6),
    ]
    for grid, street, parity, lo, hi, b_lo, b_hi in rules:
        AddressRule.objects.create(
            grid=grid,
            street=street,
            parity=parity,
            number_from=lo,
            number_to=hi,
            building_from=b_lo,
            building_to=b_hi,
        )
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    w["visit_version"] = catalog_f.item(
        unit=comm,
        status="published",
        reviewer=reviewer,
        item_type="20",
        level="6",
        power_source="2",
        implementer_nature="3",
        delegated_from=w["dept"],
        guide=catalog_f.good_guide(
            statutory_limit={"value": 20, "unit": "working_day", "note": ""},
            promised_limit={"value": 12, "unit": "working_day", "note": ""},
            steps=[
                case_f._step("受理", 1, "community", "window_clerk"),
                case_f._step("入户调查", 5, "grid", "grid_officer"),
                case_f._step("审核", 5, "subdistrict", "approver"),
            ],
            materials=[case_f._material("申请表")],
            result={"name": "", "type": "other", "sample": ""},
        ),
    )
    w["visit_item"] = w["visit_version"].implementation_item
    return w


def visit_case(w: dict[str, Any], address: str = "示范区文一路45号", **fields) -> Case:
    person = case_f.applicant(address=address, **fields)
    return case_f.case(
        w,
        item=w["visit_item"],
        applicant_=person,
        window=w["comm_window"],
        clerk=w["comm_clerk"],
    )


def household(address: str = "示范区文一路45号", **fields):
    """A resident placed in a grid by the address mapping (a household of the visit log)."""
    from sanyi.applicants.models import Applicant
    from sanyi.applicants.tests import factories as applicant_f
    from sanyi.grid.selectors import grid_of_address

    person = applicant_f.person(address=address, **fields)
    Applicant.objects.filter(pk=person.pk).update(grid=grid_of_address(address))
    person.refresh_from_db()
    return person


def open_task(case: Case) -> CaseTask:
    return case.tasks.get(status=TaskStatus.OPEN)


def jpeg_with_gps() -> bytes:
    """A small JPEG carrying EXIF with a GPS position."""
    from PIL import Image

    image = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "TestCam"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (30.0, 16.0, 12.0)
    gps[3] = "E"
    gps[4] = (120.0, 9.0, 30.0)
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def signature_png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGBA", (60, 20), (0, 0, 0, 0)).save(out, "PNG")
    return out.getvalue()


__all__ = [
    "case_services",
    "grid_world",
    "household",
    "jpeg_with_gps",
    "open_task",
    "visit_case",
]


def event_report(w: dict[str, Any], **fields):
    """An event reported by officer A at grid A (fields override the input)."""
    from sanyi.grid import services

    actor = fields.pop("actor", w["officer_a"])
    base: dict[str, Any] = {
        "grid": w["grid_a"],
        "category": "facility",
        "title": "路灯不亮",
        "description": "文一路45号门前路灯坏了三天",
        "place": "文一路45号门前",
    }
    base.update(fields)
    return services.event_report(actor=actor, data=services.EventInput(**base))
