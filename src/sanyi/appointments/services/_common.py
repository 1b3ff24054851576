"""What every appointments service shares: the rules' numbers and who may act where."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone

from sanyi.core.actors import Actor, actor_user, is_user
from sanyi.core.ids import mask_phone
from sanyi.orgs.models import Role, ServiceCenter
from sanyi.orgs.permissions import has_role

log = logging.getLogger(__name__)

# Residents with this many no-shows in the last NO_SHOW_DAYS days cannot book online.
NO_SHOW_LIMIT_DEFAULT = 3
NO_SHOW_DAYS_DEFAULT = 90
# How many bookings one resident may hold at a time (not yet checked in or missed).
LIVE_LIMIT_DEFAULT = 3


def no_show_limit() -> int:
    return int(getattr(settings, "SANYI_APPOINTMENT_NO_SHOW_LIMIT", NO_SHOW_LIMIT_DEFAULT))


def no_show_days() -> int:
    return int(getattr(settings, "SANYI_APPOINTMENT_NO_SHOW_DAYS", NO_SHOW_DAYS_DEFAULT))


def live_limit() -> int:
    return int(getattr(settings, "SANYI_APPOINTMENT_LIVE_LIMIT", LIVE_LIMIT_DEFAULT))


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def is_center_clerk(actor: Actor, center: ServiceCenter) -> bool:
    """A window clerk of the centre's unit (or above it), or a superuser."""
    user = actor_user(actor)
    return user is not None and has_role(user, Role.WINDOW_CLERK, center.org_unit)


def may_manage_schedules(actor: Actor, center: ServiceCenter) -> bool:
    """The system (demo, commands) or a system administrator of the centre's unit."""
    if not is_user(actor):
        return True
    user = actor_user(actor)
    return user is not None and has_role(user, Role.SYSTEM_ADMIN, center.org_unit)


def sms_send(phone: str, text: str) -> None:
    """Send one SMS to a phone booking's mobile (codes, confirmation, reminder); a failure
    is logged with the number masked, never raised."""
    from sanyi.notify.channels import sms_provider

    try:
        sms_provider().send(phone=phone, text=text)
    except Exception:
        log.exception("appointment SMS to %s failed", mask_phone(phone))
