"""Links in the portal's main navigation. Apps add their public sections here, e.g. in
their AppConfig.ready(): ``register(PortalLink(_("办事指南"), "catalog:guide_list", order=20))``
with ``_ = gettext_lazy``, so the label follows the visitor's language (registration runs
once at start-up, before any request has chosen one). A link shows only when its URL name
resolves, so no page links to a page that is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PortalLink:
    label: str | Promise
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class ResolvedLink:
    label: str
    url: str
    url_name: str


LINKS: list[PortalLink] = [PortalLink(_("首页"), "portal:home", order=0)]


def register(link: PortalLink) -> None:
    """Add a link; registering the same URL name twice replaces the earlier one."""
    LINKS[:] = [item for item in LINKS if item.url_name != link.url_name]
    LINKS.append(link)


def portal_links() -> list[ResolvedLink]:
    """The links in the active language, in display order."""
    resolved = []
    for link in sorted(LINKS, key=lambda item: (item.order, str(item.label))):
        try:
            resolved.append(ResolvedLink(str(link.label), reverse(link.url_name), link.url_name))
        except NoReverseMatch:
            continue
    return resolved
