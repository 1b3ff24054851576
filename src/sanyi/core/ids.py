"""One-ID application (一号申请): resident ID numbers and unified social credit codes.

python-stdnum does the checksum work. Its Chinese RIC module raises KeyError (not a
ValidationError) for some region prefixes it does not know, so every call goes through
the wrappers here, which turn any failure into a ValidationError with a Chinese message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc


class IdKind:
    RESIDENT = "ric"
    ORGANISATION = "uscc"


@dataclass(frozen=True)
class ParsedId:
    kind: str  # IdKind.RESIDENT or IdKind.ORGANISATION
    number: str  # compact, upper case

    @property
    def masked(self) -> str:
        return mask_id(self.number)


def _compact(value: str) -> str:
    return "".join(str(value or "").split()).upper()


def validate_resident_id(value: str, *, field: str = "公民身份号码") -> str:
    """Return the compact 18-character resident ID, or raise ValidationError in Chinese."""
    number = _compact(value)
    if not number:
        raise ValidationError(f"{field}不能为空", code="required")
    if len(number) != 18:
        raise ValidationError(f"{field}应为18位，现在是{len(number)}位", code="invalid_length")
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(f"{field}只能由数字组成，最后一位可以是X", code="invalid_format")
    try:
        birth = stdnum_ric.get_birth_date(number)
    except (stdnum_exceptions.ValidationError, ValueError, KeyError):
        raise ValidationError(f"{field}中的出生日期无效", code="invalid_birth_date") from None
    if birth > dt.date.today():
        raise ValidationError(f"{field}中的出生日期晚于今天", code="invalid_birth_date")
    try:
        stdnum_ric.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(f"{field}校验位不正确，请核对", code="invalid_checksum") from None
    except (KeyError, stdnum_exceptions.InvalidComponent):
        # The birth date was checked above, so what is left is the region prefix, which
        # stdnum may not know (InvalidComponent) or may fail to look up (KeyError).
        raise ValidationError(f"{field}前6位地区码无法识别", code="invalid_region") from None
    except (stdnum_exceptions.ValidationError, ValueError):
        raise ValidationError(f"{field}格式不正确", code="invalid") from None
    return number


def validate_uscc(value: str, *, field: str = "统一社会信用代码") -> str:
    """Return the compact 18-character USCC, or raise ValidationError in Chinese."""
    number = _compact(value)
    if not number:
        raise ValidationError(f"{field}不能为空", code="required")
    if len(number) != 18:
        raise ValidationError(f"{field}应为18位，现在是{len(number)}位", code="invalid_length")
    try:
        stdnum_uscc.validate(number)
    except stdnum_exceptions.InvalidChecksum:
        raise ValidationError(f"{field}校验位不正确，请核对", code="invalid_checksum") from None
    except (stdnum_exceptions.ValidationError, ValueError, KeyError):
        raise ValidationError(
            f"{field}格式不正确（由数字和大写字母组成，不含I、O、S、V、Z）", code="invalid"
        ) from None
    return number


def parse_applicant_id(value: str) -> ParsedId:
    """Tell a resident ID from a USCC and validate it (one-ID application)."""
    number = _compact(value)
    if not number:
        raise ValidationError("证件号码不能为空", code="required")
    if number[:17].isdigit() and len(number) == 18:
        return ParsedId(IdKind.RESIDENT, validate_resident_id(number))
    if len(number) == 18:
        return ParsedId(IdKind.ORGANISATION, validate_uscc(number))
    raise ValidationError(
        "证件号码应为18位公民身份号码或18位统一社会信用代码", code="invalid_length"
    )


def mask_id(value: str, *, head: int = 4, tail: int = 4) -> str:
    """Show an ID as ``4301**********123X``: the first and last characters, the rest hidden."""
    number = _compact(value)
    if len(number) <= head + tail:
        return "*" * len(number)
    return number[:head] + "*" * (len(number) - head - tail) + number[-tail:]


def mask_phone(value: str) -> str:
    """Show a phone number as ``138****5678``."""
    digits = _compact(value)
    if len(digits) < 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """Show a person's name as ``张*`` or ``欧阳**``: the first character only."""
    name = (value or "").strip()
    if len(name) <= 1:
        return name
    return name[0] + "*" * (len(name) - 1)


def make_resident_id(prefix17: str) -> str:
    """Complete 17 digits with the GB 11643 check character (for demo and test data)."""
    return prefix17 + stdnum_ric.calc_check_digit(prefix17 + "0")


def make_uscc(prefix17: str) -> str:
    """Complete 17 characters with the GB 32100 check character (for demo and test data)."""
    return prefix17 + stdnum_uscc.calc_check_digit(prefix17)
