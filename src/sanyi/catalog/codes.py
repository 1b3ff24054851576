"""Base codes and implementation codes: the documented rule (docs/adr/0003-catalog-codes.md).

The national layout is not public (STANDARDS.md §1), so the rule is data: the defaults
below, overridden key by key by the ``SANYI_CATALOG_CODE_RULE`` setting (a dict).

- base code   = type prefix + main-item number + sub-item number ("000" when none), ≤ 12;
- implementation code = the implementing unit's 18-char USCC + 13 chars: the base code
  padded with "0" to ``tail_base_width`` chars, then a ``sequence_digits`` sequence, ≤ 36;
- handling-variant code = implementation code + ``variant_digits`` sequence, ≤ 50.

Every code handed out is written to ``IssuedCode`` in the same transaction and that table
is never pruned, so a code is never issued twice, even after its draft was discarded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError

from sanyi.catalog.choices import CodeKind, ItemType
from sanyi.catalog.models import IssuedCode
from sanyi.core.ids import validate_uscc
from sanyi.orgs.models import OrgUnit

BASE_CODE_MAX = 12
IMPLEMENTATION_CODE_MAX = 36
VARIANT_CODE_MAX = 50
USCC_LENGTH = 18
# Exchanged data shows USCC + 13 chars (31 of the 36 the sync tables allow).
IMPLEMENTATION_TAIL = 13
CODE_CHARS = re.compile(r"^[0-9A-Z]+$")

DEFAULT_RULE: dict = {
    # Item type code → base code prefix. The default prefix is the official type code.
    "type_prefixes": {value: value for value in ItemType.values},
    "main_digits": 5,
    "sub_digits": 3,
    "tail_base_width": 10,
    "sequence_digits": 3,
    "variant_digits": 3,
    # Strict: imported codes must follow this exact layout; otherwise only the prefix,
    # characters and length are checked (for catalogues coded by another province's rule).
    "strict": True,
}


@dataclass(frozen=True)
class CodeRule:
    type_prefixes: dict[str, str] = field(default_factory=dict)
    main_digits: int = 5
    sub_digits: int = 3
    tail_base_width: int = 10
    sequence_digits: int = 3
    variant_digits: int = 3
    strict: bool = True

    def __post_init__(self) -> None:
        missing = set(ItemType.values) - set(self.type_prefixes)
        if missing:
            raise ValueError(f"SANYI_CATALOG_CODE_RULE lacks prefixes for types {sorted(missing)}")
        longest = max(len(p) for p in self.type_prefixes.values())
        if longest + self.main_digits + self.sub_digits > BASE_CODE_MAX:
            raise ValueError("SANYI_CATALOG_CODE_RULE makes base codes longer than 12 chars")
        if self.tail_base_width + self.sequence_digits != IMPLEMENTATION_TAIL:
            raise ValueError(
                "SANYI_CATALOG_CODE_RULE: tail_base_width + sequence_digits must be 13"
            )
        prefixes = list(self.type_prefixes.values())
        if len(set(prefixes)) != len(prefixes) or not all(CODE_CHARS.match(p) for p in prefixes):
            raise ValueError("SANYI_CATALOG_CODE_RULE: prefixes must be distinct, 0-9 and A-Z")

    @property
    def implementation_length(self) -> int:
        return USCC_LENGTH + self.tail_base_width + self.sequence_digits

    def prefix_for(self, item_type: str) -> str:
        return self.type_prefixes[item_type]

    def base_pattern(self, item_type: str) -> re.Pattern:
        prefix = re.escape(self.prefix_for(item_type))
        return re.compile(rf"^{prefix}(\d{{{self.main_digits}}})(\d{{{self.sub_digits}}})$")


def code_rule() -> CodeRule:
    """The rule in force: defaults overridden by settings.SANYI_CATALOG_CODE_RULE."""
    data = {**DEFAULT_RULE, **getattr(settings, "SANYI_CATALOG_CODE_RULE", {})}
    return CodeRule(**data)


def _compact(code: str | None) -> str:
    return "".join(str(code or "").split()).upper()


def code_owner_uscc(unit: OrgUnit) -> str:
    """The USCC that heads the unit's implementation codes.

    Communities (社区/村) keep no USCC in the org tree; their codes use the nearest unit
    above them that has one (the subdistrict that guides them), as the ADR explains.
    """
    if unit.uscc:
        return unit.uscc
    ancestors = OrgUnit.objects.filter(pk__in=unit.ancestor_ids).exclude(uscc="").order_by("-depth")
    owner = ancestors.values_list("uscc", flat=True).first()
    if not owner:
        raise ValidationError(
            f"“{unit.name}”及其上级单位都没有统一社会信用代码，无法生成实施编码；"
            "请先在组织机构中补录统一社会信用代码"
        )
    return owner


def _issue(code: str, kind: str, issued_to: str, actor_label: str, owner_code: str = "") -> str:
    IssuedCode.objects.create(
        code=code,
        kind=kind,
        issued_to=issued_to[:300],
        issued_by_label=actor_label[:100],
        owner_code=owner_code,
    )
    return code


def _issued_like(prefix: str) -> list[str]:
    return list(IssuedCode.objects.filter(code__startswith=prefix).values_list("code", flat=True))


def generate_base_code(
    *,
    item_type: str,
    main_code: str | None = None,
    name: str,
    actor_label: str,
    rule: CodeRule | None = None,
) -> str:
    """Issue the next free base code: a new main item, or a sub-item of ``main_code``."""
    rule = rule or code_rule()
    prefix = rule.prefix_for(item_type)
    pattern = rule.base_pattern(item_type)
    if main_code:
        match = pattern.match(main_code)
        if not match:
            raise ValidationError(
                f"主项基本编码{main_code}不符合本系统编码规则，无法自动生成子项编码；"
                "请为子项填写基本编码"
            )
        stem = prefix + match.group(1)
        taken = {int(c[len(stem) :]) for c in _issued_like(stem) if pattern.match(c)}
        number = next(n for n in range(1, 10**rule.sub_digits) if n not in taken)
        code = f"{stem}{number:0{rule.sub_digits}d}"
    else:
        taken = {int(m.group(1)) for c in _issued_like(prefix) if (m := pattern.match(c))}
        number = max(taken, default=0) + 1
        if number >= 10**rule.main_digits:
            raise ValidationError(f"事项类型{item_type}的主项编号已用完，请调整编码规则")
        code = f"{prefix}{number:0{rule.main_digits}d}{0:0{rule.sub_digits}d}"
    return _issue(code, CodeKind.BASE, name, actor_label)


def generate_implementation_code(
    *, unit: OrgUnit, base_code: str, name: str, actor_label: str, rule: CodeRule | None = None
) -> str:
    """Issue the next free implementation code of ``unit`` for ``base_code``."""
    rule = rule or code_rule()
    stem = (
        code_owner_uscc(unit) + base_code.ljust(rule.tail_base_width, "0")[: rule.tail_base_width]
    )
    taken = set(_issued_like(stem))
    for number in range(1, 10**rule.sequence_digits):
        code = f"{stem}{number:0{rule.sequence_digits}d}"
        if code not in taken:
            return _issue(code, CodeKind.IMPLEMENTATION, name, actor_label)
    raise ValidationError(f"“{unit.name}”的事项{base_code}实施编码序号已用完")


def generate_variant_code(
    *, implementation_code: str, name: str, actor_label: str, rule: CodeRule | None = None
) -> str:
    """Issue the next free handling-variant (业务办理项) code under an implementation code."""
    rule = rule or code_rule()
    taken = set(_issued_like(implementation_code))
    for number in range(1, 10**rule.variant_digits):
        code = f"{implementation_code}{number:0{rule.variant_digits}d}"
        if code not in taken and len(code) <= VARIANT_CODE_MAX:
            return _issue(code, CodeKind.VARIANT, name, actor_label, owner_code=implementation_code)
    raise ValidationError(f"实施编码{implementation_code}下的业务办理项编码已用完")


def _check_chars(code: str, label: str, max_length: int) -> None:
    if not code:
        raise ValidationError(f"{label}不能为空")
    if len(code) > max_length:
        raise ValidationError(f"{label}最长{max_length}位，现在是{len(code)}位")
    if not CODE_CHARS.match(code):
        raise ValidationError(f"{label}只能由数字和大写字母组成")


def validate_base_code(code: str, *, item_type: str, rule: CodeRule | None = None) -> str:
    """Return the compact base code, or raise ValidationError in Chinese."""
    rule = rule or code_rule()
    code = _compact(code)
    _check_chars(code, "基本编码", BASE_CODE_MAX)
    prefix = rule.prefix_for(item_type)
    if not code.startswith(prefix):
        label = ItemType(item_type).label
        raise ValidationError(f"基本编码{code}应以{label}的类型代码{prefix}开头")
    if rule.strict and not rule.base_pattern(item_type).match(code):
        raise ValidationError(
            f"基本编码{code}不符合编码规则：类型代码{prefix}＋{rule.main_digits}位主项编号"
            f"＋{rule.sub_digits}位子项编号（无子项为{'0' * rule.sub_digits}）"
        )
    return code


def validate_implementation_code(code: str, *, unit: OrgUnit, rule: CodeRule | None = None) -> str:
    """Return the compact implementation code, or raise ValidationError in Chinese."""
    rule = rule or code_rule()
    code = _compact(code)
    _check_chars(code, "实施编码", IMPLEMENTATION_CODE_MAX)
    if len(code) <= USCC_LENGTH:
        raise ValidationError("实施编码应为实施主体的统一社会信用代码（18位）加事项编号")
    try:
        validate_uscc(code[:USCC_LENGTH], field="实施编码前18位（统一社会信用代码）")
    except ValidationError as exc:
        raise ValidationError(exc.messages[0]) from None
    owner = code_owner_uscc(unit)
    if code[:USCC_LENGTH] != owner:
        raise ValidationError(
            f"实施编码前18位{code[:USCC_LENGTH]}与实施主体“{unit.name}”的统一社会信用代码"
            f"{owner}不一致"
        )
    if rule.strict and len(code) != rule.implementation_length:
        raise ValidationError(
            f"实施编码应为{rule.implementation_length}位（统一社会信用代码18位＋事项编号"
            f"{rule.implementation_length - USCC_LENGTH}位），现在是{len(code)}位"
        )
    return code


def validate_variant_code(code: str, *, implementation_code: str) -> str:
    code = _compact(code)
    _check_chars(code, "业务办理项编码", VARIANT_CODE_MAX)
    if not code.startswith(implementation_code):
        raise ValidationError(f"业务办理项编码{code}应以所属实施编码{implementation_code}开头")
    return code


def issued_code(code: str) -> IssuedCode | None:
    return IssuedCode.objects.filter(code=code).first()


def register_code(
    *, code: str, kind: str, issued_to: str, actor_label: str, owner_code: str = ""
) -> None:
    """Record a code that came from outside (an import). Refuses a code already issued."""
    existing = issued_code(code)
    if existing is not None:
        raise ValidationError(
            f"编码{code}已于{existing.issued_at:%Y-%m-%d}发放给“{existing.issued_to}”，"
            "编码不能重复使用"
        )
    _issue(code, kind, issued_to, actor_label, owner_code)
