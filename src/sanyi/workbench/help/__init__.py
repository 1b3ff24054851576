"""The help panel of each workbench page, kept as data in ``pages.toml`` keyed by URL name.

``page_help(view_name)`` returns the panel of one page (or None); the file is read and
checked once, and a malformed entry fails at load with the entry's name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("pages.toml")


@dataclass(frozen=True)
class PageHelp:
    purpose: str
    steps: tuple[str, ...]
    rule: str = ""


class HelpDataError(ValueError):
    """pages.toml holds an entry that is not a valid help panel."""


def _entry(name: str, raw: dict) -> PageHelp:
    unknown = set(raw) - {"purpose", "steps", "rule"}
    if unknown:
        raise HelpDataError(f"帮助“{name}”有未知字段：{'、'.join(sorted(unknown))}")
    purpose, steps, rule = raw.get("purpose"), raw.get("steps"), raw.get("rule", "")
    if not isinstance(purpose, str) or not purpose.strip():
        raise HelpDataError(f"帮助“{name}”缺少 purpose")
    if not isinstance(steps, list) or not steps or not all(isinstance(s, str) for s in steps):
        raise HelpDataError(f"帮助“{name}”的 steps 应为非空的文字列表")
    if not isinstance(rule, str):
        raise HelpDataError(f"帮助“{name}”的 rule 应为文字")
    return PageHelp(purpose=purpose, steps=tuple(steps), rule=rule)


def parse(data: dict) -> tuple[dict[str, PageHelp], frozenset[str]]:
    """(help by URL name, URL names that are not pages), checked."""
    not_pages = frozenset(data.get("not_pages", {}).get("names", []))
    raw = {k: v for k, v in data.items() if k != "not_pages"}
    pages = {k: _entry(k, v) for k, v in raw.items() if "same_as" not in v}
    for name, value in raw.items():
        if "same_as" in value:
            target = value["same_as"]
            if target not in pages or len(value) != 1:
                raise HelpDataError(f"帮助“{name}”的 same_as 应只指向一个有说明的页面")
            pages[name] = pages[target]
    both = not_pages & set(pages)
    if both:
        raise HelpDataError(f"既是页面又列在 not_pages：{'、'.join(sorted(both))}")
    return pages, not_pages


@cache
def load() -> tuple[dict[str, PageHelp], frozenset[str]]:
    with DATA.open("rb") as fh:
        return parse(tomllib.load(fh))


def page_help(view_name: str | None) -> PageHelp | None:
    return load()[0].get(view_name or "")
