"""Links in the portal's main navigation. Apps add their public sections here, e.g. in
their AppConfig.ready(): ``register(PortalLink("办事指南", "catalog:guide_list", order=20))``.
A link shows only when its URL name resolves, so no page links to a page that is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PortalLink:
    label: str
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class ResolvedLink:
    label: str
    url: str
    url_name: str


LINKS: list[PortalLink] = [PortalLink("首页", "portal:home", order=0)]


def register(link: PortalLink) -> None:
    """Add a link; registering the same URL name twice replaces the earlier one."""
    LINKS[:] = [item for item in LINKS if item.url_name != link.url_name]
    LINKS.append(link)


def portal_links() -> list[ResolvedLink]:
    resolved = []
    for link in sorted(LINKS, key=lambda item: (item.order, item.label)):
        try:
            resolved.append(ResolvedLink(link.label, reverse(link.url_name), link.url_name))
        except NoReverseMatch:
            continue
    return resolved
