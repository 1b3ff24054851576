"""Rules and residents for proactive offers."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sanyi.applicants.models import Applicant
from sanyi.applicants.tests import factories as applicant_f
from sanyi.core.ids import make_resident_id
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.proactive import services
from sanyi.proactive.choices import TriggerKind
from sanyi.proactive.models import ProactiveRule

_seq = itertools.count(100)


def born(day: dt.date, **fields) -> Applicant:
    """A resident whose ID number says they were born on ``day``."""
    fields.setdefault("id_number", make_resident_id(f"110105{day:%Y%m%d}{next(_seq) % 1000:03d}"))
    return applicant_f.person(**fields)


def rule(
    w: dict[str, Any],
    *,
    code: str = "elderly-80",
    trigger_kind: str = TriggerKind.AGE_REACHED,
    trigger_params: dict | None = None,
    publish: bool = True,
    item=None,
    **fields,
) -> ProactiveRule:
    """A rule written by one catalogue administrator and published by another."""
    author = w.get("proactive_author") or org_f.staff(w["district"], Role.CATALOG_ADMIN)
    w["proactive_author"] = author
    fields.setdefault("name", "高龄津贴提醒")
    fields.setdefault("reason", "您今年满{age}周岁，可以申请{item}")
    made = services.proactive_rule_create(
        code=code,
        item=item or w["item"],
        trigger_kind=trigger_kind,
        trigger_params=trigger_params if trigger_params is not None else {"age": 80},
        actor=author,
        **fields,
    )
    if publish:
        publisher = w.get("proactive_publisher") or org_f.staff(w["district"], Role.CATALOG_ADMIN)
        w["proactive_publisher"] = publisher
        made = services.proactive_rule_publish(rule=made, actor=publisher)
    return made


def auto_item(w: dict[str, Any]):
    """An item whose every material comes from shared data: 免申即享 needs nothing more
    from the resident, so its application can be submitted as opened."""
    from sanyi.cases.tests.factories import _material, _step
    from sanyi.catalog.tests import factories as catalog_f

    version = catalog_f.item(
        unit=w["dept"],
        status="published",
        reviewer=org_f.staff(w["district"], Role.CATALOG_ADMIN),
        guide=catalog_f.good_guide(
            steps=[
                _step("受理", 1, "district", "window_clerk"),
                _step("审批", 5, "department", "approver"),
            ],
            materials=[_material("户籍信息", source="shared_data")],
            result={"name": "", "type": "other", "sample": ""},
        ),
    )
    return version.implementation_item
