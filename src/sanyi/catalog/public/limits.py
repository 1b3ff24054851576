"""Time limits and visits as residents read them."""

from __future__ import annotations

from dataclasses import dataclass

from sanyi.catalog.choices import (
    HandlingType,
    LimitUnit,
)
from sanyi.catalog.models import ItemVersion


def saved_percent(statutory: int | None, promised: int | None) -> int | None:
    """How much shorter the promise is than the law, in whole percent, rounded down so the
    page never claims more than was cut. None when it cannot be said (a limit missing, or
    a promise not shorter than the law)."""
    if not statutory or promised is None or promised < 0 or promised >= statutory:
        return None
    return (statutory - promised) * 100 // statutory


def limit_text(value: int | None, unit: str) -> str:
    if unit == LimitUnit.NONE or not value:
        return "无时限"
    return f"{value}{LimitUnit(unit).label}"


@dataclass(frozen=True)
class TimeLimits:
    instant: bool
    promised: str
    statutory: str
    promised_note: str
    statutory_note: str
    saved_percent: int | None

    @property
    def headline(self) -> str:
        if self.instant:
            return "当场办结（即办件）"
        return f"承诺{self.promised}内办结" if self.promised != "无时限" else "无承诺时限"


def _time_limits(version: ItemVersion) -> TimeLimits:
    same_unit = (
        version.statutory_limit_unit == version.promised_limit_unit
        and version.statutory_limit_unit != LimitUnit.NONE
    )
    return TimeLimits(
        instant=version.handling_type == HandlingType.INSTANT,
        promised=limit_text(version.promised_limit_value, version.promised_limit_unit),
        statutory=limit_text(version.statutory_limit_value, version.statutory_limit_unit),
        promised_note=version.promised_limit_note,
        statutory_note=version.statutory_limit_note,
        saved_percent=saved_percent(version.statutory_limit_value, version.promised_limit_value)
        if same_unit
        else None,
    )


def visits_text(visits: int) -> str:
    if visits == 0:
        return "不用跑：网上办理或邮寄办理，不用到现场"
    if visits == 1:
        return "最多跑1次"
    return f"需到现场{visits}次"
