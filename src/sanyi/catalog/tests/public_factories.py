"""Published guides for the public-page tests, built through the catalogue services."""

from __future__ import annotations

from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories

MATERIALS = [
    {
        "name": "最低生活保障申请书",
        "type": "original",
        "form": "paper",
        "necessity": "required",
        "copies": 1,
        "source": "applicant",
        "specification": "A4",
        "source_note": "",
        "legal_basis": "",
        "acceptance_standard": "申请人签字",
        "notes": "窗口免费领取",
    },
    {
        "name": "家庭收入申报表",
        "type": "original",
        "form": "paper",
        "necessity": "deferrable",
        "copies": 2,
        "source": "applicant",
        "specification": "",
        "source_note": "",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
    },
    {
        "name": "居民户口簿",
        "type": "original",
        "form": "electronic",
        "necessity": "required",
        "copies": 1,
        "source": "shared_data",
        "specification": "",
        "source_note": "公安人口库共享",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
    },
]


def dibao_guide(**overrides) -> dict:
    """A subsistence-allowance guide: 20 statutory, 10 promised working days (50% saved),
    one deferrable material, one obtained by data sharing, no fees."""
    guide = f.good_guide(
        legal_bases=[{"title": "《社会救助暂行办法》", "article": "第十一条", "kind": "setting"}],
        acceptance_conditions="家庭人均收入低于本区最低生活保障标准；户籍在本街道。",
        service_objects=["1"],
        themes_person=["社会救助"],
        themes_business=[],
        result={"name": "最低生活保障证", "type": "certificate", "sample": ""},
        materials=MATERIALS,
    )
    guide.update(overrides)
    return guide


def published_dibao(units: dict, *, unit=None, name: str = "最低生活保障申请", **overrides):
    """A published 最低生活保障申请 implemented by 城关街道 (or ``unit``)."""
    return f.item(
        unit=unit or units["street"],
        status="published",
        author=units["author"],
        reviewer=units["reviewer"],
        name=name,
        item_type="20",
        level="5",
        guide=dibao_guide(**overrides),
    )


def org_with_centers() -> dict:
    units = f.org()
    # A subdistrict with its own USCC, so it can head implementation codes.
    units["street"] = org_factories.unit(
        units["district"], OrgKind.SUBDISTRICT, name="城关街道", uscc=org_factories.unique_uscc()
    )
    units["district_center"] = org_factories.center(
        units["district"], windows=0, name="测试区政务服务中心", address="人民路9号"
    )
    units["sub_center"] = org_factories.center(
        units["street"], windows=0, address="城关路10号", opening_hours="工作日 8:30-17:30"
    )
    return units
