"""Reading an address against the grids' boundary rules (pure: no database).

An address such as "杭州市西湖区文一路45号3幢2单元301室" names a street, a door number
(号) and perhaps a building (幢 or 栋). A rule matches when its street appears in the
address, the number is in its range and of its parity, and, for a rule bounded by
buildings, the building is in its range. Of several matching rules the narrowest wins: a
building-bounded rule before a street range, a short range before a long one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol, TypeVar

_NUMBER = re.compile(r"^\s*(\d{1,6})\s*号")
_BUILDING = re.compile(r"(\d{1,4})\s*[幢栋]")
_FULLWIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


class RuleLike(Protocol):
    street: str
    parity: str
    number_from: int
    number_to: int
    building_from: int | None
    building_to: int | None


@dataclass(frozen=True)
class Place:
    street: str
    number: int
    building: int | None


def normalise(address: str) -> str:
    return (address or "").translate(_FULLWIDTH).replace(" ", "").replace("\u3000", "")


def place_on(address: str, street: str) -> Place | None:
    """The door number (and building) that follow ``street`` in ``address``, or None."""
    text = normalise(address)
    at = text.find(street) if street else -1
    if at < 0:
        return None
    rest = text[at + len(street) :]
    number = _NUMBER.match(rest)
    if not number:
        return None
    building = _BUILDING.search(rest[number.end() :])
    return Place(street, int(number.group(1)), int(building.group(1)) if building else None)


def rule_covers(rule: RuleLike, place: Place) -> bool:
    if place.street != rule.street or not rule.number_from <= place.number <= rule.number_to:
        return False
    if rule.parity == "odd" and place.number % 2 == 0:
        return False
    if rule.parity == "even" and place.number % 2 == 1:
        return False
    if rule.building_from is not None:
        if place.building is None or rule.building_to is None:
            return False
        return rule.building_from <= place.building <= rule.building_to
    return True


R = TypeVar("R", bound=RuleLike)


def _narrowness(rule: RuleLike) -> tuple[int, int]:
    return (0 if rule.building_from is not None else 1, rule.number_to - rule.number_from)


def best_rule(address: str, rules: Iterable[R]) -> R | None:
    """The narrowest rule covering ``address``, or None."""
    covering = []
    for rule in rules:
        place = place_on(address, rule.street)
        if place is not None and rule_covers(rule, place):
            covering.append(rule)
    return min(covering, key=_narrowness, default=None)
