"""L021: a guide's place, hours and phone against its service centre's."""

import pytest

from sanyi.catalog.centre_check import CentreFacts, centre_contradictions, clock_times
from sanyi.catalog.lint import lint_guide
from sanyi.catalog.selectors import catalog_lint
from sanyi.catalog.tests import factories as f
from sanyi.orgs.tests import factories as org_factories

CENTRE = CentreFacts(
    name="示范区政务服务中心",
    address="示范区人民路9号市民中心一楼",
    hours="工作日 上午8:30-12:00，下午14:30-17:30",
    phone="0000-82100000",
)


def _guide(**fields):
    base = {
        "place": "示范区政务服务中心（示范区人民路9号市民中心一楼）二楼3号窗口",
        "hours": "工作日上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
        "consultation_phone": "0000-82101001",
    }
    return {**base, **fields}


def test_clock_times_are_normalised_and_ordered():
    assert clock_times("上午09:00—12:00，下午14：00-17:30") == ["9:00", "12:00", "14:00", "17:30"]


def test_matching_hours_and_place_give_nothing():
    assert list(centre_contradictions(_guide(), [CENTRE])) == []


def test_different_hours_name_both_values():
    found = dict(centre_contradictions(_guide(hours="工作日 9:00-12:00，14:00-17:30"), [CENTRE]))
    message = found["hours"]
    assert "工作日 9:00-12:00，14:00-17:30" in message and CENTRE.hours in message
    assert "指南写9:00、14:00，中心为8:30、14:30" in message


def test_a_place_naming_the_centre_with_another_street_is_found():
    found = dict(
        centre_contradictions(_guide(place="示范区政务服务中心（示范区和平路5号）"), [CENTRE])
    )
    assert "示范区和平路5号" in found["place"] and CENTRE.address in found["place"]


def test_a_phone_said_to_be_the_centres_must_be_its_number():
    found = dict(
        centre_contradictions(_guide(consultation_phone="0000-8888888（政务服务中心）"), [CENTRE])
    )
    assert CENTRE.phone in found["consultation_phone"]
    same = _guide(consultation_phone="0000-82100000（政务服务中心）")
    assert list(centre_contradictions(same, [CENTRE])) == []


def test_a_place_that_is_not_a_centre_is_not_compared():
    guide = _guide(place="示范区婚姻登记处（示范区和平大道190号）", hours="9:00-17:00")
    assert list(centre_contradictions(guide, [CENTRE])) == []


def test_the_rule_is_a_warning_with_code_l020():
    findings = lint_guide(
        {**f.good_guide(), **_guide(hours="9:00-17:00")}, item_type="01", centres=(CENTRE,)
    )
    assert [(x.code, x.severity, x.path) for x in findings] == [("L021", "warning", "hours")]


@pytest.mark.django_db
def test_catalog_lint_compares_each_item_with_its_units_centre():
    units = f.org()
    org_factories.center(
        units["district"],
        name="示范区政务服务中心",
        address="示范区人民路9号市民中心一楼",
        opening_hours="工作日 8:30-12:00，14:30-17:30",
    )
    f.item(unit=units["dept"], status="published", guide=f.good_guide(**_guide(hours="9:00-17:00")))

    [(_version, findings)] = catalog_lint(viewer="系统：测试")

    assert [x.code for x in findings] == ["L021"]
    assert "8:30" in findings[0].message and "9:00" in findings[0].message
