"""Reading inboxes and delivery status.

An inbox holds only its owner's messages: ``inbox(applicant=...)`` or ``inbox(user=...)``.
The delivery status list is for system admins and supervisors; notifications are not tied
to one org unit, so anyone holding either role sees the whole list (addresses masked).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sanyi.notify.models import Message, OutboxMessage
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

if TYPE_CHECKING:
    from django.db.models import Model

    from sanyi.orgs.models import User

DELIVERY_ROLES = (Role.SYSTEM_ADMIN, Role.SUPERVISOR)


def _recipient(applicant: Model | None, user: User | None) -> dict:
    if (applicant is None) == (user is None):
        raise ValueError("name exactly one recipient")
    return {"applicant": applicant} if applicant is not None else {"user": user}


def inbox(*, applicant: Model | None = None, user: User | None = None) -> QuerySet[Message]:
    return Message.objects.filter(**_recipient(applicant, user)).order_by("-created_at", "-id")


def unread_count(*, applicant: Model | None = None, user: User | None = None) -> int:
    return Message.objects.filter(read_at__isnull=True, **_recipient(applicant, user)).count()


def can_see_deliveries(viewer: User) -> bool:
    return bool(scope_paths(viewer, DELIVERY_ROLES))


def can_manage_webhooks(viewer: User) -> bool:
    return bool(scope_paths(viewer, Role.SYSTEM_ADMIN))


@dataclass(frozen=True)
class DeliveryFilters:
    channel: str = ""
    status: str = ""
    event: str = ""


def deliveries(*, viewer: User, filters: DeliveryFilters | None = None) -> QuerySet[OutboxMessage]:
    """Outbox rows for the status list, newest first; nothing for other viewers."""
    if not can_see_deliveries(viewer):
        return OutboxMessage.objects.none()
    f = filters or DeliveryFilters()
    qs = OutboxMessage.objects.select_related(
        "message", "message__applicant", "message__user", "subscription"
    )
    if f.channel:
        qs = qs.filter(channel=f.channel)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.event:
        qs = qs.filter(event=f.event)
    return qs.order_by("-created_at", "-id")


def delivery_events() -> list[str]:
    return list(OutboxMessage.objects.order_by("event").values_list("event", flat=True).distinct())
