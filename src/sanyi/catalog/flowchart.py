"""The process steps of a guide drawn as an SVG flowchart.

The drawing is vector, one column of boxes joined by arrows, so it reads on a phone, zooms
without blur and prints sharp. Colours are presentation attributes and classes styled by
guide.css (the CSP forbids inline styles). The SVG names itself with <title> and <desc>;
the full text of every step is the ordered list printed under it, so nothing is lost to
someone who cannot see the picture.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 320
BOX_X = 10
BOX_WIDTH = WIDTH - 2 * BOX_X
TEXT_X = 56
FONT = 15
SMALL = 13
LINE = 21
SMALL_LINE = 18
PAD = 12
GAP = 34  # room for the arrow between two boxes
# CJK characters are about one em wide; Latin letters and digits about half.
TITLE_EMS = (BOX_WIDTH - (TEXT_X - BOX_X) - PAD) / FONT
DETAIL_EMS = (BOX_WIDTH - (TEXT_X - BOX_X) - PAD) / SMALL


@dataclass(frozen=True)
class FlowStep:
    name: str
    actor: str = ""
    level: str = ""
    days_text: str = ""


def _ems(char: str) -> float:
    return 0.55 if ord(char) < 0x2E80 else 1.0


def wrap(text: str, ems: float) -> list[str]:
    """Break ``text`` into lines no wider than ``ems`` (CJK text has no spaces to break at,
    so it breaks between any two characters)."""
    lines: list[str] = []
    current, width = "", 0.0
    for char in " ".join(text.split()):
        w = _ems(char)
        if current and width + w > ems:
            lines.append(current.rstrip())
            current, width = "", 0.0
            if char == " ":
                continue
        current += char
        width += w
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _detail_lines(step: FlowStep) -> list[str]:
    who = "，".join(part for part in (step.actor, step.level) if part)
    lines = wrap(f"办理：{who}", DETAIL_EMS) if who else []
    if step.days_text:
        lines += wrap(f"时限：{step.days_text}", DETAIL_EMS)
    return lines


def flowchart_svg(
    steps: Sequence[FlowStep], *, title: str, description: str, id_prefix: str = "flow"
) -> SafeString:
    """An accessible SVG of ``steps`` (empty string when there are none)."""
    if not steps:
        return mark_safe("")
    parts: list[str] = []
    y = 8
    for number, step in enumerate(steps, start=1):
        title_lines = wrap(step.name, TITLE_EMS) or [""]
        details = _detail_lines(step)
        height = PAD * 2 + LINE * len(title_lines) + SMALL_LINE * len(details)
        height = max(height, 56)
        parts.append(
            f'<g class="flow-step">'
            f'<rect class="flow-box" x="{BOX_X}" y="{y}" width="{BOX_WIDTH}" height="{height}" '
            f'rx="8" fill="#ffffff" stroke="#0a4a8f" stroke-width="2"/>'
            f'<circle class="flow-number" cx="{BOX_X + 23}" cy="{y + 28}" r="15" '
            f'fill="#0a4a8f"/>'
            f'<text class="flow-number-text" x="{BOX_X + 23}" y="{y + 33}" '
            f'text-anchor="middle" font-size="{FONT}" font-weight="700" fill="#ffffff">'
            f"{number}</text>"
        )
        line_y = y + PAD + FONT
        for text in title_lines:
            parts.append(
                f'<text class="flow-title" x="{TEXT_X}" y="{line_y}" font-size="{FONT}" '
                f'font-weight="700" fill="#1a1a1a">{escape(text)}</text>'
            )
            line_y += LINE
        for text in details:
            parts.append(
                f'<text class="flow-detail" x="{TEXT_X}" y="{line_y - 2}" '
                f'font-size="{SMALL}" fill="#333333">{escape(text)}</text>'
            )
            line_y += SMALL_LINE
        parts.append("</g>")
        y += height
        if number < len(steps):
            mid = WIDTH // 2
            parts.append(
                f'<path class="flow-arrow" d="M{mid} {y + 4} V{y + GAP - 10} '
                f'M{mid - 7} {y + GAP - 17} L{mid} {y + GAP - 6} L{mid + 7} {y + GAP - 17}" '
                f'fill="none" stroke="#1a1a1a" stroke-width="2.5" stroke-linecap="round" '
                f'stroke-linejoin="round"/>'
            )
            y += GAP
    total_height = y + 8
    svg = (
        f'<svg class="flowchart" xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {WIDTH} {total_height}" width="{WIDTH}" height="{total_height}" '
        f'role="img" aria-labelledby="{id_prefix}-title {id_prefix}-desc" '
        f'font-family="Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, sans-serif">'
        f'<title id="{id_prefix}-title">{escape(title)}</title>'
        f'<desc id="{id_prefix}-desc">{escape(description)}</desc>'
        f"{''.join(parts)}</svg>"
    )
    return mark_safe(svg)  # noqa: S308 - every text above is escaped
