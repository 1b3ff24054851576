"""What the openness services share: converting HTML bodies (cleaning is ``_richtext``), and the
disclosure-officer check.
"""

from __future__ import annotations

import html

from django.core.exceptions import PermissionDenied
from django.utils.html import linebreaks, strip_tags

from sanyi.core.actors import Actor, is_user
from sanyi.openness.models import Publication
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import has_role


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


def note_editor(actor: Actor, pub: Publication) -> None:
    """Remember who changed a draft: nobody who did may do its confidentiality check."""
    if is_user(actor):
        pub.editors.add(actor)
