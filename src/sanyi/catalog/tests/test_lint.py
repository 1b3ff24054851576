import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sanyi.catalog.lint import RULES, has_errors, lint_guide, trailing_deng
from sanyi.catalog.tests.factories import good_guide


def codes(guide, item_type="01"):
    return [(f.code, f.path) for f in lint_guide(guide, item_type=item_type)]


def material(name, **fields):
    row = {
        "name": name,
        "type": "original",
        "form": "paper",
        "necessity": "required",
        "copies": 1,
        "source": "applicant",
        "specification": "",
        "source_note": "",
        "legal_basis": "",
        "acceptance_standard": "",
        "notes": "",
        "review_points": "核对原件",
        "common_mistakes": "",
    }
    row.update(fields)
    return row


def with_materials(*rows):
    return good_guide(materials=list(rows))


def test_the_reference_guide_is_clean():
    assert lint_guide(good_guide(), item_type="01") == []


def test_every_rule_has_a_unique_code_severity_and_title():
    assert len({r.code for r in RULES}) == len(RULES)
    assert all(r.severity in ("error", "warning") and r.title for r in RULES)


@pytest.mark.parametrize(
    "text",
    [
        "其他材料",
        "有关部门规定的其他材料",
        "法律、法规规定的其他材料",
        "其他需要提供的证明",
        "其它相关材料",
    ],
)
def test_catch_all_clauses_are_errors(text):
    assert ("L001", "materials[0].name") in codes(with_materials(material(text)))


def test_catch_all_clause_in_acceptance_conditions_points_there():
    guide = good_guide(acceptance_conditions="符合条件的企业；主管部门要求的其他情形。")
    assert ("L001", "acceptance_conditions") in codes(guide)


@pytest.mark.parametrize(
    "text",
    [
        "身份证等",
        "户口簿等材料",
        "身份证、户口簿等。",
        "营业执照等相关证件",
        "房产证明等等",
    ],
)
def test_trailing_deng_is_a_vague_list(text):
    guide = good_guide(acceptance_conditions=f"申请人提交{text}")
    assert ("L002", "acceptance_conditions") in codes(guide)


@pytest.mark.parametrize(
    "text",
    [
        "男女平等参与",
        "按等级评定",
        "平等协商一致",
        "办理婚姻登记",
        "登记等级为一级",
        "等候叫号后办理",
        "同等条件下优先",
        "获得三等功以上奖励",
        "一等奖获得者",
        "等待审核结果",
        "金额等于申报额",
        "相等数额",
    ],
)
def test_deng_inside_a_word_is_not_flagged(text):
    guide = good_guide(acceptance_conditions=text)
    assert "L002" not in [c for c, _ in codes(guide)]
    assert list(trailing_deng(text)) == []


def test_deng_catch_all_is_reported_once_for_deng_deng():
    assert len(list(trailing_deng("身份证、户口簿等等"))) == 1


@pytest.mark.parametrize("text", ["相关材料", "提供相关证明材料", "身份证及相关资料"])
def test_unnamed_related_material_is_an_error(text):
    assert "L003" in [c for c, _ in codes(with_materials(material(text)))]


def test_named_related_material_is_fine():
    assert "L003" not in [
        c
        for c, _ in codes(
            with_materials(material("婚姻状况相关证明材料", legal_basis="《婚姻登记条例》第五条"))
        )
    ]


def test_proof_without_legal_basis_is_an_error():
    guide = with_materials(material("无犯罪记录证明"))
    assert ("L004", "materials[0].legal_basis") in codes(guide)


def test_proof_with_basis_or_by_shared_data_is_fine():
    ok = with_materials(
        material("无犯罪记录证明", legal_basis="《保安服务管理条例》第十七条"),
        material("出生医学证明", source="shared_data"),
        material("身份证明"),
    )
    assert "L004" not in [c for c, _ in codes(ok)]


def test_other_agency_material_not_shared_is_a_warning():
    guide = with_materials(material("不动产权证书", source="other_agency"))
    findings = lint_guide(guide, item_type="01")
    assert [(f.code, f.severity, f.path) for f in findings] == [
        ("L005", "warning", "materials[0].source")
    ]


def test_promised_longer_than_statutory_is_an_error():
    guide = good_guide(promised_limit={"value": 25, "unit": "working_day", "note": ""})
    assert ("L006", "promised_limit.value") in codes(guide)


def test_promised_limit_compares_months_with_natural_days():
    guide = good_guide(
        statutory_limit={"value": 1, "unit": "month", "note": ""},
        promised_limit={"value": 20, "unit": "natural_day", "note": ""},
    )
    assert "L006" not in [c for c, _ in codes(guide)]
    guide["promised_limit"]["value"] = 45
    assert "L006" in [c for c, _ in codes(guide)]


def test_working_days_against_calendar_time_are_not_compared():
    guide = good_guide(
        statutory_limit={"value": 20, "unit": "natural_day", "note": ""},
        promised_limit={"value": 18, "unit": "working_day", "note": ""},
    )
    assert "L006" not in [c for c, _ in codes(guide)]


def test_missing_statutory_limit_is_an_error_for_licensing_only():
    guide = good_guide(
        statutory_limit={"value": None, "unit": "none", "note": ""},
        promised_limit={"value": 5, "unit": "working_day", "note": ""},
    )
    assert ("L007", "statutory_limit") in codes(guide, item_type="01")
    assert "L007" not in [c for c, _ in codes(guide, item_type="20")]


def fee(**fields):
    row = {
        "name": "工本费",
        "standard": "每证20元",
        "basis": "发改价格〔2003〕2322号",
        "reducible": False,
        "reduction_basis": "",
    }
    row.update(fields)
    return row


def test_fee_without_basis_is_an_error():
    guide = good_guide(fees=[fee(basis="")], online_payment=True)
    assert ("L008", "fees[0].basis") in codes(guide)
    assert "L008" not in [c for c, _ in codes(good_guide(fees=[fee()], online_payment=True))]


def test_fee_for_an_online_item_needs_online_payment():
    assert ("L009", "online_payment") in codes(good_guide(fees=[fee()]))
    window_only = good_guide(fees=[fee()], channels=["window"])
    assert "L009" not in [c for c, _ in codes(window_only)]


def test_full_online_with_visits_is_an_error():
    full = ["consult", "submit", "precheck", "accept", "handle", "result", "elicence"]
    assert ("L010", "visits") in codes(good_guide(online_depth=full, visits=1))
    assert "L010" not in [c for c, _ in codes(good_guide(online_depth=full, visits=0))]


def test_zero_visits_need_online_or_post():
    assert ("L011", "channels") in codes(good_guide(visits=0, channels=["window"]))
    assert "L011" not in [c for c, _ in codes(good_guide(visits=0, channels=["post"]))]


def test_phones_must_both_exist_and_differ():
    same = good_guide(consultation_phone="0591-1234567", complaint_phone="(0591)1234567")
    assert ("L012", "complaint_phone") in codes(same)
    missing = good_guide(consultation_phone="", complaint_phone="12345")
    assert ("L012", "consultation_phone") in codes(missing)


def test_empty_acceptance_conditions_is_an_error():
    assert ("L013", "acceptance_conditions") in codes(good_guide(acceptance_conditions="  "))


def test_duplicated_materials_ignore_spaces_and_brackets():
    guide = with_materials(material("申请书（原件）"), material("申请书 (原件)"))
    assert ("L014", "materials[1].name") in codes(guide)


def test_overlong_sentence_is_a_warning_with_configurable_length(settings):
    text = "申请人" + "应当" * 45 + "。短句。"
    assert "L015" in [c for c, _ in codes(good_guide(acceptance_conditions=text))]
    settings.SANYI_CATALOG_LINT = {"max_sentence_length": 200}
    assert "L015" not in [c for c, _ in codes(good_guide(acceptance_conditions=text))]


def test_unexplained_abbreviation_is_a_warning():
    assert "L016" in [c for c, _ in codes(good_guide(acceptance_conditions="持有USCC的企业。"))]


@pytest.mark.parametrize(
    "text",
    [
        "持有统一社会信用代码（USCC）的企业。",
        "持有USCC（统一社会信用代码）的企业。",
        "提交PDF格式的A4扫描件。",
    ],
)
def test_explained_or_known_abbreviations_are_fine(text):
    assert "L016" not in [c for c, _ in codes(good_guide(acceptance_conditions=text))]


def test_severity_can_be_overridden_and_rules_disabled(settings):
    guide = with_materials(material("不动产权证书", source="other_agency"))
    settings.SANYI_CATALOG_LINT = {"severity": {"L005": "error"}}
    assert lint_guide(guide, item_type="01")[0].severity == "error"
    settings.SANYI_CATALOG_LINT = {"disabled": ["L005"]}
    assert lint_guide(guide, item_type="01") == []


@hsettings(max_examples=60, deadline=None)
@given(
    promised=st.integers(min_value=1, max_value=400),
    statutory=st.integers(min_value=1, max_value=400),
    unit=st.sampled_from(["working_day", "natural_day", "month"]),
)
def test_promised_limit_rule_flags_exactly_the_longer_promises(promised, statutory, unit):
    guide = good_guide(
        statutory_limit={"value": statutory, "unit": unit, "note": ""},
        promised_limit={"value": promised, "unit": unit, "note": ""},
    )
    assert ("L006" in [c for c, _ in codes(guide)]) == (promised > statutory)


# --- L024: the staff handbook -----------------------------------------------------------


def test_material_without_review_points_is_a_warning():
    guide = with_materials(material("申请书"), material("营业执照", review_points="  "))
    findings = [f for f in lint_guide(guide, item_type="01") if f.code == "L024"]
    assert [(f.severity, f.path) for f in findings] == [("warning", "materials[1].review_points")]
    assert "营业执照" in findings[0].message


def test_missing_review_points_do_not_block_submitting():
    guide = with_materials(material("申请书", review_points=""))
    assert not has_errors(lint_guide(guide, item_type="01"))
