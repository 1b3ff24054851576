"""Sections of the applicant's own area (/my/). Apps add theirs in AppConfig.ready():

    from django.utils.translation import gettext_lazy as _
    from sanyi.applicants.portal import register_section
    register_section(_("我的办件"), "cases:my_cases", order=10)

The page links each section whose URL name resolves (it takes no arguments and is meant to
list the signed-in applicant's own records, via ``sanyi.applicants.auth``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class Section:
    label: str | Promise
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class ResolvedSection:
    label: str
    url: str


SECTIONS: list[Section] = []


def register_section(label, url_name: str, order: int = 100) -> None:
    """Add a section; registering the same URL name twice replaces the earlier one."""
    SECTIONS[:] = [s for s in SECTIONS if s.url_name != url_name]
    SECTIONS.append(Section(label, url_name, order))


def sections() -> list[ResolvedSection]:
    resolved = []
    for s in sorted(SECTIONS, key=lambda s: (s.order, str(s.label))):
        try:
            resolved.append(ResolvedSection(str(s.label), reverse(s.url_name)))
        except NoReverseMatch:
            continue
    return resolved
