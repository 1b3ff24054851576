"""Does a guide contradict its service centre? The place, hours and phone a guide gives,
compared with the service centre the place names (lint rule L021).

Pure functions over the guide dict and ``CentreFacts``; the caller reads the centres (the
implementing unit's nearest active ones, ``centres_of``), so the lint rules still never
touch the database themselves. The comparison is structural where the text allows:

- the centre a guide means is the one whose name, or whose street address (up to the
  house number, "示范区人民路9号"), appears in the guide's place;
- place: the place names the centre but gives another street address;
- hours: the clock times in the guide's hours ("9:00", "14:00") differ from those in the
  centre's opening hours. A window that keeps shorter hours on purpose gets a warning
  the admin may accept;
- phone: the consultation phone says it is the centre's (names the centre or "服务中心")
  but its digits are not the centre's number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

CLOCK = re.compile(r"(\d{1,2})\s*[:：]\s*(\d{2})")
# A street address up to its house number: "示范区人民路9号".
STREET = re.compile(r"[^\s（()）,，、；;：:]*?[路街道巷弄里村大道]\d+号")


@dataclass(frozen=True)
class CentreFacts:
    name: str
    address: str
    hours: str
    phone: str


def centres_of(centers: Iterable) -> tuple[CentreFacts, ...]:
    """``CentreFacts`` of ``orgs.ServiceCenter`` rows."""
    return tuple(CentreFacts(c.name, c.address, c.opening_hours, c.phone) for c in centers)


def clock_times(text: str) -> list[str]:
    """The clock times in ``text``, normalised ("09:00" → "9:00"), in order, each once."""
    seen: dict[str, None] = {}
    for hour, minute in CLOCK.findall(text or ""):
        seen[f"{int(hour)}:{minute}"] = None
    return list(seen)


def _street(address: str) -> str:
    match = STREET.search(address or "")
    return match.group(0) if match else ""


def centre_named_in(place: str, centres: Iterable[CentreFacts]) -> CentreFacts | None:
    """The centre the place names, by name or by street address."""
    for centre in centres:
        street = _street(centre.address)
        if centre.name in place or (street and street in place):
            return centre
    return None


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text or "")


def centre_contradictions(guide: dict, centres: Iterable[CentreFacts]) -> Iterator[tuple[str, str]]:
    """(path, message) for each of place, hours and phone that contradicts the centre."""
    place = guide.get("place") or ""
    centre = centre_named_in(place, centres)
    if centre is None:
        return
    street, given = _street(centre.address), _street(place)
    if street and given and given != street and street not in place:
        yield (
            "place",
            f"办理地点写的是“{given}”，而“{centre.name}”的地址是“{centre.address}”",
        )
    hours = guide.get("hours") or ""
    mine, theirs = clock_times(hours), clock_times(centre.hours)
    if mine and theirs and set(mine) != set(theirs):
        only_mine = "、".join(t for t in mine if t not in theirs) or "（无）"
        only_theirs = "、".join(t for t in theirs if t not in mine) or "（无）"
        yield (
            "hours",
            f"办理时间“{hours}”与“{centre.name}”的办公时间“{centre.hours}”不一致："
            f"指南写{only_mine}，中心为{only_theirs}",
        )
    phone = guide.get("consultation_phone") or ""
    names_centre = centre.name in phone or "服务中心" in phone
    if names_centre and centre.phone and _digits(centre.phone) not in _digits(phone):
        yield (
            "consultation_phone",
            f"咨询电话“{phone}”注明是服务中心的电话，但“{centre.name}”的电话是“{centre.phone}”",
        )


def unit_centres(unit) -> tuple[CentreFacts, ...]:
    """The facts of the service centres residents go to for ``unit``'s items (one query)."""
    from sanyi.catalog.public.centers import centers_for

    return centres_of(centers_for(unit))
