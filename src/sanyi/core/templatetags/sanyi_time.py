"""Dates and times as people read them: "2026年12月6日 13:35", in local time (TIME_ZONE,
Asia/Shanghai), never UTC or ISO form. One place, so every page says it the same way."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

register = template.Library()


def _parsed(value: Any) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return parse_datetime(text) or parse_date(text) or value
    return value


@register.filter
def cn_date(value: Any) -> str:
    """A date (or the local date of a moment) as "2026年12月6日"; "" for None."""
    value = _parsed(value)
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "" if value is None else str(value)


@register.filter
def cn_datetime(value: Any) -> str:
    """A moment in local time as "2026年12月6日 13:35"; a bare date as cn_date."""
    value = _parsed(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    return cn_date(value)
