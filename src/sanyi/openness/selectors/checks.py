"""Checks over what is stored: links that are not safe to show, and who may read the audit
history of an openness record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from sanyi.core.links import link_problem
from sanyi.openness.models import (
    DirectoryEntry,
    Interpretation,
    NegativeListEntry,
    Publication,
)
from sanyi.openness.selectors.staff import OPENNESS_ROLES
from sanyi.orgs.models import OrgUnit, User
from sanyi.orgs.permissions import has_role


@dataclass(frozen=True)
class UnsafeLink:
    what: str  # "政府信息" or "政策解读"
    pk: int
    title: str
    field: str
    label: str
    value: str
    problem: str


def unsafe_links() -> list[UnsafeLink]:
    """Stored links a public page would render that are not http(s) or relative.

    Services refuse these on write (core.links); this finds rows saved before that rule
    or written straight into the database, for ``sanyi openness check-links``.
    """
    found = []
    sources = (
        ("政府信息", Publication.objects.exclude(source_url=""), "source_url", "原文链接"),
        ("政策解读", Interpretation.objects.exclude(video_url=""), "video_url", "视频地址"),
    )
    for what, qs, field, label in sources:
        for pk, title, value in qs.order_by("pk").values_list("pk", "title", field).iterator():
            problem = link_problem(value, absolute=True)
            if problem:
                found.append(UnsafeLink(what, pk, title, field, label, value, problem))
    return found


def _history_check(
    queryset: QuerySet[Any], unit_of: Callable[[Any], OrgUnit]
) -> Callable[[User, str], bool]:
    """A workbench history check: disclosure officers and supervisors of the unit."""

    def check(viewer: User, object_id: str) -> bool:
        if not str(object_id).isdigit():
            raise Http404("对象不存在")
        obj = queryset.filter(pk=int(object_id)).first()
        if obj is None:
            raise Http404("对象不存在")
        return has_role(viewer, OPENNESS_ROLES, unit_of(obj))

    return check


HISTORY_CHECKS = {
    "openness.publication": _history_check(
        Publication.objects.select_related("publisher"), lambda p: p.publisher
    ),
    "openness.directoryentry": _history_check(
        DirectoryEntry.objects.select_related("org_unit"), lambda e: e.org_unit
    ),
    "openness.negativelistentry": _history_check(
        NegativeListEntry.objects.select_related("org_unit"), lambda e: e.org_unit
    ),
}
