"""What the openness services share: cleaning and converting HTML bodies, and the
disclosure-officer check.
"""

from __future__ import annotations

import html

import nh3
from django.core.exceptions import PermissionDenied
from django.utils.html import linebreaks, strip_tags

from sanyi.core.actors import Actor, is_user
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "h2", "h3", "h4", "ul", "ol", "li",
    "table", "thead", "tbody", "tr", "th", "td", "blockquote", "a", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
}


def sanitize_html(value: str) -> str:
    """Rich text reduced to plain formatting: no scripts, styles, handlers or images."""
    return nh3.clean(
        value or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
    ).strip()


def text_to_html(value: str) -> str:
    """Plain text (an imported page) as escaped paragraphs."""
    return linebreaks(value or "", autoescape=True)


def html_to_text(value: str) -> str:
    return html.unescape(strip_tags(value or "")).strip()


def _require_officer(actor: Actor, unit: OrgUnit) -> None:
    if not is_user(actor):
        return
    if not has_role(actor, Role.DISCLOSURE_OFFICER, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的政务公开专员，不能办理此操作")
