"""Links that staff type in (网办地址, 法规链接, 原文链接, 视频地址): one rule for all of them;
and the platform's own links for many rows at once (``reverse_per_pk``, ``pk_filler``).

A link is safe when it is relative (``/guide/…``, ``?q=…``, ``#part``) or absolute with the
``http`` or ``https`` scheme. Everything else (``javascript:``, ``data:``, ``vbscript:``,
``file:``, ``ftp:`` …) is refused, because a resident's browser would run or open it from a
government page. Services call :func:`validate_link` so forms, the API and importers obey the
same rule; templates pass stored links through the ``safe_url`` filter as a second line of
defence for rows written before the rule existed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import reverse

ALLOWED_SCHEMES = ("http", "https")

# Browsers drop ASCII tab/newline anywhere in a URL and trim leading control characters and
# spaces, so "java\tscript:" and " javascript:" still run; compare on the cleaned form.
_IGNORED_BY_BROWSERS = re.compile(r"[\t\n\r]")


def _normalised(value: str) -> str:
    value = _IGNORED_BY_BROWSERS.sub("", value)
    return value.lstrip("".join(chr(c) for c in range(0x21)))


def link_problem(value: str, *, absolute: bool = False) -> str | None:
    """Why ``value`` is not a safe link (plain Chinese, without the field name), or None."""
    if not value:
        return None
    if any(unicodedata.category(ch) == "Cc" for ch in value):
        return "不能包含控制字符"
    cleaned = _normalised(value)
    if cleaned.startswith(("\\", "/\\")):
        return "不是有效的网址"
    try:
        parts = urlsplit(cleaned)
    except ValueError:
        return "不是有效的网址"
    scheme = parts.scheme.lower()
    if scheme:
        if scheme not in ALLOWED_SCHEMES:
            return f"只能是 http:// 或 https:// 开头的网址或站内相对地址，不能用“{scheme}:”"
        if not parts.netloc:
            return "网址缺少域名"
        return None
    if cleaned.startswith("//"):
        # Scheme-relative links leave the site while looking relative.
        return "请写完整的 https:// 网址"
    if absolute:
        return "请写完整的 http:// 或 https:// 网址"
    return None


def is_safe_link(value: str | None) -> bool:
    return link_problem(value or "") is None


def validate_link(value: str, *, field: str, label: str, absolute: bool = False) -> str:
    """Return ``value`` stripped, or raise ValidationError ``{field: "<label>…"}``."""
    value = (value or "").strip()
    problem = link_problem(value, absolute=absolute)
    if problem:
        raise ValidationError({field: f"{label}{problem}"})
    return value


# --- the platform's own links for many rows ---------------------------------------------------

# A pk no row has (the largest 32-bit integer): a path is reversed once for it, then each
# row's pk is put in its place. Reversing costs tens of microseconds a call, which adds up
# on a list of fifty rows or a nightly run over thousands.
PK_MARK = 2_147_483_647


def pk_filler(path: str) -> Callable[[int], str] | None:
    """For ``path`` worked out for ``PK_MARK``: a function giving the path of any pk, or
    None when the path does not hold the mark (the page is not wired, the link is empty)."""
    mark = str(PK_MARK)
    if mark not in path:
        return None
    head, _, tail = path.rpartition(mark)
    return lambda pk: f"{head}{pk}{tail}"


def reverse_per_pk(name: str, *rest: object) -> Callable[[int], str]:
    """``reverse(name, args=[pk, *rest])`` for many pks, reversed once."""
    fill = pk_filler(reverse(name, args=[PK_MARK, *rest]))
    if fill is None:
        raise ValueError(f"{name} does not put its first argument in the path")
    return fill
