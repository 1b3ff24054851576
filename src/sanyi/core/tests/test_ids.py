import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from sanyi.core.ids import (
    IdKind,
    make_resident_id,
    make_uscc,
    mask_id,
    mask_name,
    mask_phone,
    parse_applicant_id,
    validate_resident_id,
    validate_uscc,
)

GOOD_RIC = "11010519491231002X"


def test_a_valid_resident_id_passes_and_is_normalised():
    assert validate_resident_id(" 11010519491231002x ") == GOOD_RIC


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("", "不能为空"),
        ("1101051949123100", "应为18位"),
        ("110105194912310021", "校验位"),
        ("11010519491331002X", "出生日期"),
        ("1101051949123100A1", "只能由数字组成"),
    ],
)
def test_bad_resident_ids_get_a_chinese_message(number, message):
    with pytest.raises(ValidationError, match=message):
        validate_resident_id(number)


def test_unknown_region_prefix_is_a_clear_error_not_a_crash():
    number = make_resident_id("99999919800101001")
    with pytest.raises(ValidationError, match="地区码"):
        validate_resident_id(number)


@given(st.text(max_size=24))
def test_no_input_ever_crashes_the_validators(text):
    for validate in (validate_resident_id, validate_uscc, parse_applicant_id):
        with contextlib.suppress(ValidationError):
            validate(text)


@given(st.from_regex(r"[0-9]{17}", fullmatch=True))
def test_any_17_digits_with_bad_check_or_region_never_raise_anything_but_validation(digits):
    with contextlib.suppress(ValidationError):
        validate_resident_id(make_resident_id(digits))


def test_uscc_checksum():
    good = make_uscc("91350100M000100Y4")
    assert validate_uscc(good.lower()) == good
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        validate_uscc(bad)


def test_one_id_tells_persons_from_organisations():
    assert parse_applicant_id(GOOD_RIC).kind == IdKind.RESIDENT
    assert parse_applicant_id(make_uscc("91350100M000100Y4")).kind == IdKind.ORGANISATION


def test_masking():
    assert mask_id("43010219900101123X") == "4301**********123X"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_name("欧阳娜娜") == "欧***"
