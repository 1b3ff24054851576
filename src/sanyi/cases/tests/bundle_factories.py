"""A small life event for bundle tests, on top of ``factories.world()``.

开店（测试）: ``item`` (the department licence: 申请书, 房屋租赁合同 deferrable, 营业执照
shared) first; ``second`` (another department licence asking for 申请书 again and for the
营业执照 the first one issues) waits for it; ``community_item`` applies only when the
resident answers yes to ``sewer`` and is accepted at the community centre.
"""

from __future__ import annotations

import itertools
from typing import Any

from sanyi.cases import services
from sanyi.cases.choices import CaseStatus, Decision
from sanyi.cases.models import Bundle, Case
from sanyi.cases.tests.factories import _actor_for, _material, _step, upload
from sanyi.catalog import services as catalog_services
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

SYSTEM = "系统：测试"
_seq = itertools.count(1)


def life_event(w: dict[str, Any]) -> LifeEvent:
    reviewer = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    second = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=reviewer,
        guide=catalog_f.good_guide(
            statutory_limit={"value": 20, "unit": "working_day", "note": ""},
            promised_limit={"value": 10, "unit": "working_day", "note": ""},
            steps=[
                _step("受理", 1, "district", "window_clerk"),
                _step("审批", 4, "department", "approver"),
            ],
            materials=[_material("申请书"), _material("营业执照")],
            result={"name": "经营许可证", "type": "certificate", "sample": ""},
        ),
    ).implementation_item
    w["second_item"] = second
    event = catalog_services.life_event_save(
        actor=SYSTEM,
        name=f"开店（测试）{next(_seq)}",
        items=[w["item"], second, w["community_item"]],
    )
    return catalog_services.life_event_arrange(
        actor=SYSTEM,
        event=event,
        fields=[{"name": "sewer", "label": "污水是否排入管网？", "kind": "yes_no"}],
        steps=[
            {"item": w["item"].base_item.name},
            {
                "item": second.base_item.name,
                "after": w["item"].base_item.name,
                "carries": "营业执照",
            },
            {"item": w["community_item"].base_item.name, "when": {"var": "sewer"}},
        ],
    )


def uploads() -> dict[str, Any]:
    return {"申请书": upload(), "申请表": upload()}


def apply(w: dict[str, Any], person, *, sewer: bool = True, **kwargs) -> Bundle:
    event = kwargs.pop("event", None) or w.get("event") or life_event(w)
    w["event"] = event
    given = uploads()
    if not sewer:
        given.pop("申请表")
    return services.bundle_apply(
        applicant=person,
        life_event=event,
        answers={"sewer": "yes" if sewer else "no"},
        uploads=given,
        actor=person.audit_label,
        **kwargs,
    )


def precheck(w: dict[str, Any], case: Case) -> Case:
    clerk = w["comm_clerk"] if case.unit_id == w["comm1"].pk else w["clerk"]
    results = [{"material": m, "status": "ok"} for m in case.materials.all()]
    return services.case_precheck(case=case, results=results, actor=clerk)


def conclude(w: dict[str, Any], case: Case, decision: str = Decision.APPROVE) -> Case:
    """Run an accepted case's steps and conclude it."""
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    task = case.tasks.get(status="open")
    while task.step_id is not None:
        task = services.task_act(task=task, action="approve", actor=_actor_for(w, task))
    return services.case_conclude(
        case=case,
        decision=decision,
        reason="" if decision == Decision.APPROVE else "不符合条件",
        basis="" if decision == Decision.APPROVE else "《测试条例》第一条",
        actor=_actor_for(w, task),
    )


__all__ = ["apply", "conclude", "life_event", "precheck"]
