"""Links in the portal's main navigation, read from ``sanyi.core.registry``.

Apps add their public sections there from ``AppConfig.ready()``
(``register_portal_link(PortalLink(_("办事指南"), "catalog:home", order=20))``). A link
shows only when its URL name resolves, so no page links to a page that is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from sanyi.core import registry
from sanyi.core.registry import PortalLink


@dataclass(frozen=True)
class ResolvedLink:
    label: str
    url: str
    url_name: str


def register_own_links() -> None:
    """The portal's own link (called from PortalConfig.ready())."""
    registry.register_portal_link(PortalLink(_("首页"), "portal:home", order=0))


def portal_links() -> list[ResolvedLink]:
    """The links in the active language, in display order."""
    resolved = []
    for link in registry.portal_links():
        try:
            resolved.append(ResolvedLink(str(link.label), reverse(link.url_name), link.url_name))
        except NoReverseMatch:
            continue
    return resolved
