import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from sanyi.catalog import codes
from sanyi.catalog.choices import ItemType
from sanyi.catalog.models import IssuedCode
from sanyi.catalog.tests import factories as f
from sanyi.core.ids import make_uscc
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def test_base_codes_are_type_prefix_main_number_and_000(units):
    a = codes.generate_base_code(item_type="01", name="甲", actor_label=f.SYSTEM)
    b = codes.generate_base_code(item_type="01", name="乙", actor_label=f.SYSTEM)
    c = codes.generate_base_code(item_type="20", name="丙", actor_label=f.SYSTEM)

    assert (a, b, c) == ("0100001000", "0100002000", "2000001000")
    assert IssuedCode.objects.filter(code__in=[a, b, c]).count() == 3


def test_sub_item_codes_number_under_their_main_item(units):
    main = codes.generate_base_code(item_type="07", name="主项", actor_label=f.SYSTEM)
    first = codes.generate_base_code(
        item_type="07", main_code=main, name="子项1", actor_label=f.SYSTEM
    )
    second = codes.generate_base_code(
        item_type="07", main_code=main, name="子项2", actor_label=f.SYSTEM
    )
    assert (main, first, second) == ("0700001000", "0700001001", "0700001002")


def test_implementation_code_is_uscc_plus_padded_base_code_plus_sequence(units):
    dept = units["dept"]
    code = codes.generate_implementation_code(
        unit=dept, base_code="0100001000", name="甲", actor_label=f.SYSTEM
    )
    again = codes.generate_implementation_code(
        unit=dept, base_code="0100001000", name="甲", actor_label=f.SYSTEM
    )

    assert code == f"{dept.uscc}0100001000001"
    assert again == f"{dept.uscc}0100001000002"
    assert len(code) == 31


def test_community_codes_use_the_nearest_unit_above_with_a_uscc(units):
    sub = units["sub1"]
    sub.uscc = make_uscc("11350100777777777")
    sub.save(update_fields=["uscc"])
    community = units["comm1"]

    code = codes.generate_implementation_code(
        unit=community, base_code="2000001000", name="社区事项", actor_label=f.SYSTEM
    )

    assert code.startswith(sub.uscc)


def test_unit_without_any_uscc_above_gets_a_clear_error(units):
    with pytest.raises(ValidationError, match="都没有统一社会信用代码"):
        codes.generate_implementation_code(
            unit=units["comm2"], base_code="2000001000", name="x", actor_label=f.SYSTEM
        )


def test_variant_codes_extend_the_implementation_code(units):
    version = f.item(unit=units["dept"])
    item = version.implementation_item
    variant = version.variants.get()
    assert variant.code == f"{item.implementation_code}001"


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "不能为空"),
        ("01000010000000", "最长12位"),
        ("01-0001-000", "数字和大写字母"),
        ("0200001000", "应以行政许可的类型代码01开头"),
        ("0100001", "不符合编码规则"),
    ],
)
def test_base_code_validation_messages(code, message):
    with pytest.raises(ValidationError, match=message):
        codes.validate_base_code(code, item_type="01")


def test_base_code_validation_compacts_case_and_spaces():
    assert codes.validate_base_code(" 01000 01000 ", item_type="01") == "0100001000"


def test_loose_rule_accepts_other_layouts_with_the_right_prefix(settings):
    settings.SANYI_CATALOG_CODE_RULE = {"strict": False}
    assert codes.validate_base_code("01AB12", item_type="01") == "01AB12"


def test_custom_prefixes_from_settings(settings, units):
    prefixes = {value: f"X{value}" if len(value) == 2 else value for value in ItemType.values}
    settings.SANYI_CATALOG_CODE_RULE = {"type_prefixes": prefixes, "main_digits": 4}
    assert codes.generate_base_code(item_type="01", name="甲", actor_label=f.SYSTEM) == (
        "X010001000"
    )


def test_rule_that_makes_codes_too_long_is_refused(settings):
    settings.SANYI_CATALOG_CODE_RULE = {"main_digits": 9}
    with pytest.raises(ValueError, match="longer than 12"):
        codes.code_rule()


def test_implementation_code_validation(units):
    dept = units["dept"]
    good = f"{dept.uscc}0100001000001"
    assert codes.validate_implementation_code(good.lower(), unit=dept) == good
    other = units["sub_dept"].uscc + "0100001000001"
    with pytest.raises(ValidationError, match="不一致"):
        codes.validate_implementation_code(other, unit=dept)
    wrong_check = "1" if dept.uscc[17] == "0" else "0"
    with pytest.raises(ValidationError, match="校验位"):
        codes.validate_implementation_code(
            dept.uscc[:17] + wrong_check + "0100001000001", unit=dept
        )
    with pytest.raises(ValidationError, match="应为31位"):
        codes.validate_implementation_code(good + "1", unit=dept)
    with pytest.raises(ValidationError, match="最长36位"):
        codes.validate_implementation_code(good + "123456", unit=dept)


def test_an_issued_code_is_never_registered_again(units):
    code = codes.generate_base_code(item_type="01", name="甲", actor_label=f.SYSTEM)
    with pytest.raises(ValidationError, match="不能重复使用"):
        codes.register_code(code=code, kind="base", issued_to="乙", actor_label=f.SYSTEM)


def test_issued_codes_cannot_be_changed_or_deleted(units):
    code = codes.generate_base_code(item_type="01", name="甲", actor_label=f.SYSTEM)
    row = IssuedCode.objects.get(code=code)
    with pytest.raises(RuntimeError):
        row.delete()
    with pytest.raises(RuntimeError):
        row.save()


def test_generation_skips_numbers_issued_to_items_since_dropped(units):
    version = f.item(unit=units["dept"], name="试点")
    from sanyi.catalog.services import item_version_discard

    base = version.implementation_item.base_item.base_code
    item_version_discard(actor=f.SYSTEM, version=version)
    next_code = codes.generate_base_code(item_type="01", name="新", actor_label=f.SYSTEM)
    assert next_code != base


@hsettings(max_examples=25, deadline=None)
@given(
    main=st.integers(min_value=1, max_value=99999),
    sub=st.integers(min_value=0, max_value=999),
    item_type=st.sampled_from(ItemType.values),
)
def test_every_code_of_the_rule_validates(main, sub, item_type):
    code = f"{item_type}{main:05d}{sub:03d}"
    assert codes.validate_base_code(code, item_type=item_type) == code
    assert len(code) <= codes.BASE_CODE_MAX


def test_department_units_code_differently_per_unit(units):
    other = org_factories.unit(
        units["district"], OrgKind.DEPARTMENT, uscc=org_factories.unique_uscc()
    )
    a = f.item(unit=units["dept"], name="同名事项").implementation_item
    b = f.item(unit=other, name="同名事项").implementation_item
    assert a.implementation_code[18:] == b.implementation_code[18:]
    assert a.implementation_code[:18] != b.implementation_code[:18]
