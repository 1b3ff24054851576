import copy

import pytest

from sanyi.catalog.demo.build_items import build_document
from sanyi.catalog.demo.checks import document_findings, format_errors, quality_problems


@pytest.fixture(scope="module")
def document():
    return build_document()


def _item(document, name, unit=None):
    return copy.deepcopy(
        next(
            i
            for i in document["items"]
            if i["name"] == name and (unit is None or i["implementing_unit"] == unit)
        )
    )


def test_demo_document_has_no_findings(document):
    assert document_findings(document) == []


def test_published_items_have_no_quality_problems(document):
    published = [i for i in document["items"] if i.get("status", "published") == "published"]

    assert {i["name"]: quality_problems(i) for i in published if quality_problems(i)} == {}


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda i: i.update(note="来源"), "未规定的字段“note”"),
        (lambda i: i.pop("hours"), "缺少字段“hours”"),
        (lambda i: i.update(implementing_unit="区城市管理局"), "实施主体不是演示组织树中的单位"),
        (lambda i: i.update(level="4"), "行使层级与实施主体不符"),
        (lambda i: i.update(item_type="11"), "item_type“11”不是规定的代码"),
        (lambda i: i["steps"][1].update(days=30), "各环节用时合计超过承诺时限"),
        (lambda i: i["steps"][0].update(role="clerk"), "流程环节格式不对"),
        (lambda i: i["materials"][0].update(source="citizen"), "source“citizen”不是规定值"),
        (
            lambda i: i["legal_bases"].__setitem__(
                0, {**i["legal_bases"][0], "title": "社会救助暂行办法"}
            ),
            "依据名称须为书名号括起的法律法规名称",
        ),
        (lambda i: i.pop("delegated_from"), "权力来源为上级下放，须写明下放部门"),
    ],
)
def test_format_errors_name_the_broken_rule(document, mutate, message):
    broken = copy.deepcopy(document)
    index = next(n for n, i in enumerate(broken["items"]) if i["name"] == "最低生活保障申请")
    mutate(broken["items"][index])

    errors = format_errors(broken)

    assert any(message in e for e in errors), errors


def test_format_errors_catch_a_life_event_naming_an_unknown_item(document):
    broken = copy.deepcopy(document)
    broken["life_events"][0]["items"].append("不存在的事项")

    assert any("不存在的事项" in e for e in format_errors(broken))


@pytest.mark.parametrize(
    ("mutate", "problem"),
    [
        (
            lambda i: i["materials"].append({**i["materials"][0], "name": "其他相关材料"}),
            "catch_all_material",
        ),
        (
            lambda i: i["materials"].append({**i["materials"][0], "name": "户口簿等证件"}),
            "vague_material",
        ),
        (
            lambda i: i["materials"].append(
                {**i["materials"][0], "name": "无收入证明", "legal_basis": ""}
            ),
            "proof_without_basis",
        ),
        (lambda i: i["materials"].append(copy.deepcopy(i["materials"][0])), "duplicate_material"),
        (
            lambda i: i["materials"].append(
                {**i["materials"][0], "name": "营业执照", "source": "applicant"}
            ),
            "other_agency_not_shared",
        ),
        (lambda i: i["promised_limit"].update(value=40), "promised_exceeds_statutory"),
        (
            lambda i: i.update(
                online_depth=[
                    "consult",
                    "submit",
                    "precheck",
                    "accept",
                    "handle",
                    "result",
                    "elicence",
                ]
            ),
            "full_online_with_visits",
        ),
        (lambda i: i.update(visits=0, channels=["window"]), "zero_visits_without_route"),
        (lambda i: i.update(consultation_phone=i["complaint_phone"]), "same_phones"),
        (lambda i: i.update(complaint_phone=""), "missing_phone"),
        (lambda i: i.update(acceptance_conditions=""), "empty_conditions"),
        (
            lambda i: i["fees"].append(
                {
                    "name": "工本费",
                    "standard": "10元",
                    "basis": "",
                    "reducible": False,
                    "reduction_basis": "",
                }
            ),
            "fee_without_basis",
        ),
    ],
)
def test_quality_problems_flag_each_guide_rule(document, mutate, problem):
    # given a clean published item
    item = _item(document, "最低生活保障申请", "城关街道")
    assert quality_problems(item) == []

    # when one typical problem is planted
    mutate(item)

    # then exactly that rule fires
    assert problem in quality_problems(item)


def test_words_containing_deng_are_not_vague(document):
    item = _item(document, "残疾人两项补贴申请", "南桥社区")

    assert "等级" in item["acceptance_conditions"]
    assert quality_problems(item) == []


def test_a_natural_day_statutory_limit_is_compared_in_working_days(document):
    item = _item(document, "居住证申领")
    item["promised_limit"] = {"value": 12, "unit": "working_day", "note": ""}  # 15 日 ≈ 10 个工作日

    assert "promised_exceeds_statutory" in quality_problems(item)


def test_a_draft_without_its_planted_problem_is_reported(document):
    broken = copy.deepcopy(document)
    draft = next(i for i in broken["items"] if i["name"] == "房屋租赁登记备案")
    draft["acceptance_conditions"] = "在本区出租房屋的出租人和承租人。"

    assert any("empty_conditions" in f for f in document_findings(broken))
