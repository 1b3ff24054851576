"""Catalogue test data, built through the services, with lifecycle traits."""

from __future__ import annotations

import copy
import itertools

from sanyi.catalog import services
from sanyi.catalog.models import ItemVersion
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_factories

SYSTEM = "系统：测试"
_seq = itertools.count(1)

GOOD_GUIDE = {
    "handling_variants": [{"name": "首次申请", "note": ""}],
    "legal_bases": [
        {"title": "《中华人民共和国行政许可法》", "article": "第二十九条", "kind": "setting"}
    ],
    "acceptance_conditions": "在本区从事经营活动的企业和个体工商户。",
    "statutory_limit": {"value": 20, "unit": "working_day", "note": ""},
    "promised_limit": {"value": 10, "unit": "working_day", "note": ""},
    "handling_type": "2",
    "visits": 1,
    "channels": ["window", "online"],
    "online_depth": ["consult", "submit", "precheck"],
    "online_url": "https://zwfw.example.gov.cn/item",
    "online_payment": False,
    "steps": [
        {
            "name": "受理",
            "actor": "综合窗口",
            "description": "核对材料，当场受理。",
            "days": 1,
            "unit_level": "district",
            "role": "window_clerk",
            "handling_points": "对照审查要点逐项核对原件。",
        },
        {
            "name": "审批",
            "actor": "审批科",
            "description": "审查后作出决定。",
            "days": 9,
            "unit_level": "department",
            "role": "approver",
        },
    ],
    "place": "区政务服务中心一楼",
    "hours": "工作日 9:00-17:00",
    "fees": [],
    "consultation_phone": "0591-12345601",
    "complaint_phone": "0591-12345602",
    "service_objects": ["2"],
    "themes_person": [],
    "themes_business": ["准营准办"],
    "result": {"name": "许可证", "type": "licence", "sample": ""},
    "intermediary_services": "",
    "joint_agencies": [],
    "special_procedures": "",
    "materials": [
        {
            "name": "申请书",
            "type": "original",
            "form": "paper",
            "necessity": "required",
            "copies": 1,
            "source": "applicant",
            "specification": "A4",
            "source_note": "",
            "legal_basis": "",
            "acceptance_standard": "",
            "notes": "",
            "review_points": "核对申请人签名和日期",
            "common_mistakes": "漏签名",
        },
        {
            "name": "营业执照",
            "type": "copy",
            "form": "electronic",
            "necessity": "required",
            "copies": 1,
            "source": "shared_data",
            "specification": "",
            "source_note": "市场监管数据共享",
            "legal_basis": "",
            "acceptance_standard": "",
            "notes": "",
            "review_points": "核对申请人签名和日期",
            "common_mistakes": "漏签名",
        },
    ],
}


def good_guide(**overrides) -> dict:
    """A guide with no lint findings at all; keys in ``overrides`` replace whole values."""
    guide = copy.deepcopy(GOOD_GUIDE)
    guide.update(copy.deepcopy(overrides))
    return guide


def org() -> dict:
    """An org tree whose department and first subdistrict carry USCCs, with two catalogue
    admins at the district (one writes, one reviews) and one at the department."""
    units = org_factories.tree()
    units["sub_dept"] = org_factories.unit(
        units["district"], OrgKind.DEPARTMENT, uscc=org_factories.unique_uscc()
    )
    units["author"] = org_factories.staff(units["district"], Role.CATALOG_ADMIN)
    units["reviewer"] = org_factories.staff(units["district"], Role.CATALOG_ADMIN)
    units["dept_admin"] = org_factories.staff(units["dept"], Role.CATALOG_ADMIN)
    return units


def item(
    *,
    unit,
    status: str = "draft",
    author=SYSTEM,
    reviewer=None,
    name: str | None = None,
    item_type: str = "01",
    level: str = "4",
    guide: dict | None = None,
    **fields,
) -> ItemVersion:
    """A version in ``status``: draft, in_review, approved, published or superseded (the
    superseded one is returned; its successor is published)."""
    version = services.item_create(
        actor=author,
        name=name or f"测试事项{next(_seq)}",
        item_type=item_type,
        implementing_unit=unit,
        level=level,
        power_source=fields.pop("power_source", "1"),
        implementer_nature=fields.pop("implementer_nature", "1"),
        guide=good_guide() if guide is None else guide,
        **fields,
    )
    if status == "draft":
        return version
    version = services.item_version_submit(actor=author, version=version)
    if status == "in_review":
        return version
    reviewer = reviewer or org_factories.staff(unit, Role.CATALOG_ADMIN)
    services.item_version_review(actor=reviewer, version=version, approve=True, comment="同意")
    if status == "approved":
        return version
    version = services.item_version_publish(actor=author, version=version)
    if status == "published":
        return version
    assert status == "superseded", status
    draft = services.item_version_new_draft(
        actor=author, implementation_item=version.implementation_item
    )
    services.item_version_update(actor=author, version=draft, guide={"hours": "工作日 8:30-17:30"})
    services.item_version_submit(actor=author, version=draft)
    services.item_version_review(actor=reviewer, version=draft, approve=True)
    services.item_version_publish(actor=author, version=draft)
    version.refresh_from_db()
    return version
