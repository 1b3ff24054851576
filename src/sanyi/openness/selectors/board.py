"""What a community's or grid's notice board (公开栏) shows: its current 服务公开 and 结果公开
publications, newest first, and the expired ones under 往期.

A community's board also shows the notices of its grids. A publication belongs on a board
when it was posted to it (``BoardNotice``) or its directory entry is a 服务公开 or 结果公开
item of the unit. A posted notice is current until its expiry date; any other until it is
marked expired or abolished.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sanyi.openness.choices import FiveKind, PublicationStatus, Validity
from sanyi.openness.models import BoardNotice, BoardSubscription, Publication
from sanyi.openness.selectors.public import publication_public_qs
from sanyi.orgs.models import OrgKind, OrgUnit, User
from sanyi.orgs.permissions import units_in_scope
from sanyi.orgs.tree import subtree_q

BOARD_KINDS = (OrgKind.COMMUNITY, OrgKind.GRID)
BOARD_FIVE_KINDS = (FiveKind.SERVICE, FiveKind.RESULT)
PAST_LIMIT = 30
CURRENT_LIMIT = 60


@dataclass(frozen=True)
class BoardItem:
    publication: Publication
    notice: BoardNotice | None
    unit_name: str
    five_kind_label: str
    expires_on: dt.date | None
    current: bool


@dataclass(frozen=True)
class Board:
    unit: OrgUnit
    grids: list[OrgUnit]
    current: list[BoardItem]
    past: list[BoardItem]


def board_unit_get(ref: str) -> OrgUnit | None:
    """A live community or grid by id or by code."""
    units = OrgUnit.objects.filter(kind__in=BOARD_KINDS, is_active=True).select_related("parent")
    ref = (ref or "").strip()
    if ref.isdigit():
        found = units.filter(pk=int(ref)).first()
        if found is not None:
            return found
    return units.filter(code=ref).first() if ref else None


def _board_qs(unit: OrgUnit, now: dt.datetime) -> QuerySet[Publication]:
    units = Q(publisher=unit)
    if unit.kind == OrgKind.COMMUNITY:
        units |= Q(publisher__parent=unit, publisher__kind=OrgKind.GRID)
    kinds = Q(board_notice__five_kind__in=BOARD_FIVE_KINDS) | Q(
        directory_entry__five_kind__in=BOARD_FIVE_KINDS
    )
    return (
        publication_public_qs(now)
        .filter(units, kinds)
        .select_related("publisher", "board_notice", "directory_entry")
        .order_by("-publish_at", "-pk")
    )


def _item(pub: Publication, today: dt.date) -> BoardItem:
    notice = getattr(pub, "board_notice", None)
    if notice is not None:
        expires = notice.expires_on
        current = expires >= today and pub.validity == Validity.VALID
        kind = notice.get_five_kind_display()
    else:
        expires = pub.validity_changed_on
        current = pub.validity == Validity.VALID
        kind = pub.directory_entry.get_five_kind_display() if pub.directory_entry else ""
    return BoardItem(pub, notice, pub.publisher.name, kind, expires, current)


def board_get(unit: OrgUnit, *, now: dt.datetime | None = None) -> Board:
    """The board of ``unit``: at most ``CURRENT_LIMIT`` current and ``PAST_LIMIT`` past items."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    current: list[BoardItem] = []
    past: list[BoardItem] = []
    for pub in _board_qs(unit, now)[: CURRENT_LIMIT + PAST_LIMIT]:
        item = _item(pub, today)
        target = current if item.current else past
        limit = CURRENT_LIMIT if item.current else PAST_LIMIT
        if len(target) < limit:
            target.append(item)
    grids: list[OrgUnit] = []
    if unit.kind == OrgKind.COMMUNITY:
        grids = list(
            OrgUnit.objects.filter(parent=unit, kind=OrgKind.GRID, is_active=True).order_by(
                "sort_order", "name"
            )
        )
    return Board(unit, grids, current, past)


def board_notice_public_get(pk: int) -> BoardNotice | None:
    """A posted notice whose publication is public (for its picture)."""
    return (
        BoardNotice.objects.filter(publication__in=publication_public_qs(), publication_id=pk)
        .select_related("publication")
        .first()
    )


def board_subscription_get(applicant_id: int | None, unit: OrgUnit) -> BoardSubscription | None:
    if applicant_id is None:
        return None
    return BoardSubscription.objects.filter(applicant_id=applicant_id, unit=unit).first()


def board_pending_for(unit_ids: list[int]) -> QuerySet[Publication]:
    """Board notices of these units waiting for the confidentiality check."""
    return (
        Publication.objects.filter(
            board_notice__isnull=False,
            publisher_id__in=unit_ids,
            status=PublicationStatus.IN_REVIEW,
        )
        .select_related("publisher", "board_notice")
        .order_by("-updated_at")
    )


def board_level_counts(viewer: User, units: list[OrgUnit]) -> dict[int, list[tuple[str, int, str]]]:
    """Per unit (and the units under it): board notices waiting for the confidentiality
    check, one query for any number of units; units outside the viewer's scope get nothing."""
    units = units_in_scope(viewer, units)
    if not units:
        return {}
    row = Publication.objects.filter(
        board_notice__isnull=False, status=PublicationStatus.IN_REVIEW
    ).aggregate(
        **{f"u{u.pk}": Count("id", filter=subtree_q(u.path, "publisher__path")) for u in units}
    )
    return {u.pk: [("公开栏待审查", row[f"u{u.pk}"], "workbench:openness:reviews")] for u in units}
