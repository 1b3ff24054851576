"""Case test data, built through the services (shared with the pages' tests).

``world()`` builds one small district with everything a case needs: a district center with
windows and a clerk, a department with two approvers and a supervisor at the district, a
subdistrict and a community with their own centers and clerks, and published items:

* ``item``: a district-department licence (受理 → 审核 5 → 审批 4 working days; statutory
  20, promised 10 working days; one required material, one deferrable, one shared);
* ``community_item``: a community public service delegated by the department
  (社区受理 → 街道审核 → 部门审批);
* ``instant_item``: an instant item (即办件) of the department.

``case(world, state=...)`` returns a case in one of the states of its life.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from sanyi.applicants.tests import factories as applicant_f
from sanyi.cases import services
from sanyi.cases.choices import AcceptanceDecision, CaseChannel, Decision, MaterialStatus
from sanyi.cases.models import Case
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)


def tiny_pdf(pages: int = 1, text: str = "材料") -> bytes:
    """A valid PDF of ``pages`` blank pages."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str = "材料.pdf", pages: int = 1) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, tiny_pdf(pages), content_type="application/pdf")


def _material(name: str, *, necessity: str = "required", source: str = "applicant") -> dict:
    return {
        "name": name,
        "type": "original",
        "form": "both",
        "necessity": necessity,
        "copies": 1,
        "source": source,
        "specification": "",
        "source_note": "数据共享" if source == "shared_data" else "",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
        "review_points": f"{name}：核对原件与申请人一致",
        "common_mistakes": f"{name}：常见漏签名",
    }


def _step(name, days, level, role) -> dict:
    return {
        "name": name,
        "actor": name,
        "description": name,
        "days": days,
        "unit_level": level,
        "role": role,
        "handling_points": f"{name}：按办理要点核对",
    }


def licence_guide(**overrides) -> dict:
    base = {
        "statutory_limit": {"value": 20, "unit": "working_day", "note": ""},
        "promised_limit": {"value": 10, "unit": "working_day", "note": ""},
        "steps": [
            _step("受理", 1, "district", "window_clerk"),
            _step("审核", 5, "department", "approver"),
            _step("审批", 4, "department", "approver"),
        ],
        "materials": [
            _material("申请书"),
            _material("房屋租赁合同", necessity="deferrable"),
            _material("营业执照", source="shared_data"),
        ],
        "result": {"name": "测试许可证", "type": "licence", "sample": ""},
    }
    base.update(overrides)
    return catalog_f.good_guide(**base)


def world() -> dict[str, Any]:
    d = org_f.district(uscc=org_f.unique_uscc())
    s1 = org_f.unit(d, OrgKind.SUBDISTRICT, uscc=org_f.unique_uscc())
    s2 = org_f.unit(d, OrgKind.SUBDISTRICT, uscc=org_f.unique_uscc())
    c1, c2 = org_f.unit(s1, OrgKind.COMMUNITY), org_f.unit(s2, OrgKind.COMMUNITY)
    units = {
        "district": d,
        "sub1": s1,
        "sub2": s2,
        "comm1": c1,
        "comm2": c2,
        "dept": org_f.unit(d, OrgKind.DEPARTMENT, uscc=org_f.unique_uscc()),
        "dept2": org_f.unit(d, OrgKind.DEPARTMENT, uscc=org_f.unique_uscc()),
    }
    w: dict[str, Any] = dict(units)
    district, dept = units["district"], units["dept"]
    w["center"] = org_f.center(district, windows=2, name=f"测试区政务服务中心{next(_seq)}")
    w["window"] = w["center"].windows.order_by("number").first()
    w["clerk"] = org_f.staff(district, Role.WINDOW_CLERK, window=w["window"])
    w["approver"] = org_f.staff(dept, Role.APPROVER)
    w["approver2"] = org_f.staff(dept, Role.APPROVER)
    w["supervisor"] = org_f.staff(district, Role.SUPERVISOR)
    w["sub_center"] = org_f.center(units["sub1"], windows=1)
    w["sub_window"] = w["sub_center"].windows.first()
    w["sub_clerk"] = org_f.staff(units["sub1"], Role.WINDOW_CLERK, window=w["sub_window"])
    w["sub_approver"] = org_f.staff(units["sub1"], Role.APPROVER)
    w["comm_center"] = org_f.center(units["comm1"], windows=1)
    w["comm_window"] = w["comm_center"].windows.first()
    w["comm_clerk"] = org_f.staff(units["comm1"], Role.WINDOW_CLERK, window=w["comm_window"])
    w["comm_approver"] = org_f.staff(units["comm1"], Role.APPROVER)
    reviewer = org_f.staff(district, Role.CATALOG_ADMIN)
    w["version"] = catalog_f.item(
        unit=dept, status="published", reviewer=reviewer, guide=licence_guide()
    )
    w["item"] = w["version"].implementation_item
    w["community_version"] = catalog_f.item(
        unit=units["comm1"],
        status="published",
        reviewer=reviewer,
        item_type="20",
        level="6",
        power_source="2",
        implementer_nature="3",
        delegated_from=dept,
        guide=catalog_f.good_guide(
            statutory_limit={"value": 20, "unit": "working_day", "note": ""},
            promised_limit={"value": 12, "unit": "working_day", "note": ""},
            steps=[
                _step("受理", 1, "community", "window_clerk"),
                _step("审核", 5, "subdistrict", "approver"),
                _step("审批", 5, "department", "approver"),
            ],
            materials=[_material("申请表")],
            result={"name": "", "type": "other", "sample": ""},
        ),
    )
    w["community_item"] = w["community_version"].implementation_item
    w["instant_version"] = catalog_f.item(
        unit=dept,
        status="published",
        reviewer=reviewer,
        guide=catalog_f.good_guide(
            handling_type="1",
            statutory_limit={"value": 1, "unit": "working_day", "note": ""},
            promised_limit={"value": 1, "unit": "working_day", "note": ""},
            steps=[
                _step("受理", 0, "district", "window_clerk"),
                _step("办结", 0, "district", "approver"),
            ],
            materials=[_material("身份证明")],
            result={"name": "证明", "type": "certificate", "sample": ""},
        ),
    )
    w["instant_item"] = w["instant_version"].implementation_item
    return w


def applicant(**fields):
    return applicant_f.person(**fields)


def provide_all(case: Case, actor=SYSTEM) -> None:
    """Upload a file for every material the applicant must provide."""
    for cm in case.materials.exclude(status=MaterialStatus.SHARED):
        services.case_material_upload(case=case, case_material=cm, uploaded=upload(), actor=actor)


def case(
    w: dict[str, Any],
    *,
    state: str = "in_progress",
    item=None,
    applicant_=None,
    channel: str = CaseChannel.WINDOW,
    on: dt.date | None = None,
    window=None,
    clerk=None,
) -> Case:
    """A case in ``state``: draft, precheck, awaiting, in_progress, concluded, delivered.

    Window cases start at the clerk; online ones (``channel="online"``) go through
    submit and pre-check first. ``on`` is the acceptance day (default today).
    """
    item = item or w["item"]
    person = applicant_ or applicant()
    window = window or w["window"]
    clerk = clerk or w["clerk"]
    if channel == CaseChannel.ONLINE:
        c = services.case_start(
            applicant=person, item=item, channel=channel, actor=person.audit_label, on=on
        )
        if state == "draft":
            return c
        provide_all(c, person.audit_label)
        c = services.case_submit(
            case=c, actor=person.audit_label, idempotency_key=f"k{next(_seq)}", on=on
        )
        if state == "precheck":
            return c
        results = [{"material": m, "status": "ok"} for m in c.materials.all()]
        c = services.case_precheck(case=c, results=results, actor=clerk, on=on)
    else:
        c = services.case_start(applicant=person, item=item, channel=channel, actor=clerk, on=on)
        provide_all(c, clerk)
    if state == "awaiting":
        return c
    c = services.case_accept(
        case=c,
        window=window,
        decision=AcceptanceDecision.ACCEPT,
        actor=clerk,
        materials=[m for m in c.materials.all() if m.status != MaterialStatus.SHARED],
        on=on,
    )
    if state == "in_progress":
        return c
    task = c.tasks.get(status="open")
    while task.step_id is not None:
        task = services.task_act(task=task, action="approve", actor=_actor_for(w, task), on=on)
    c = services.case_conclude(
        case=c, decision=Decision.APPROVE, reason="", basis="", actor=_actor_for(w, task), on=on
    )
    if state == "concluded":
        return c
    return services.case_deliver(
        case=c, method="window", actor=clerk, window=window, recipient_name=person.name
    )


def _actor_for(w, task):
    unit = task.unit
    if unit.kind == OrgKind.SUBDISTRICT:
        return w["sub_approver"]
    if unit.kind == OrgKind.COMMUNITY:
        return w["comm_approver"]
    return w["approver"]


def accept_window_case(w, *, on=None, item=None, **accept) -> Case:
    """A walk-in case accepted at the district window (shortcut)."""
    return case(w, state="in_progress", on=on, item=item)


__all__ = ["AcceptanceDecision", "Decision", "accept_window_case", "applicant", "case", "world"]


def case_due_early_2027(w: dict) -> Case:
    """A case in progress, accepted Mon 2026-11-02 for an item promised in 45 working days:
    November gives 20, December 23, so it is due Mon 2027-01-04 while 2027 is provisional.
    Loading the 2027 notice (元旦 on 1/1) or making a day of late December a holiday moves it
    to Tue 2027-01-05 (the calendar pages' previews and corrections)."""
    guide = licence_guide(
        statutory_limit={"value": 3, "unit": "month", "note": ""},
        promised_limit={"value": 45, "unit": "working_day", "note": ""},
    )
    guide["steps"][1]["days"] = 20
    guide["steps"][2]["days"] = 20
    item = catalog_f.item(unit=w["dept"], status="published", guide=guide).implementation_item
    return case(w, state="in_progress", on=dt.date(2026, 11, 2), item=item)
