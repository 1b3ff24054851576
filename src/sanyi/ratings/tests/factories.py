"""Ratings test data, built through the services.

``world()`` builds one small district: a department that handles a published item, a
community that accepts its cases at a window, and staff on every side of the rules:

* ``approver``/``approver2``: approvers of the handling department (may follow up, appeal);
* ``supervisor``/``supervisor2``: supervisors at the district (may decide appeals);
* ``clerk``: the community's window clerk (reads ratings, opens the rating pad);
* ``outsider``: an approver of another subdistrict (sees nothing);
* ``nobody``: a staff account with no role at all.

The traits return a rating or rectification in one state of its life: ``rated`` (any
level), ``bad`` (open rectification), ``visited`` (returned visit), ``rectified`` (done),
``appealed`` (pending appeal), ``decided`` (appeal upheld or rejected).
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sanyi.applicants.tests import factories as applicant_f
from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.models import Case
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs import services as org_services
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.ratings import services
from sanyi.ratings.models import Rating, RatingAppeal, Rectification

_seq = itertools.count(1)
# A Wednesday before the National Day holiday: the deadline arithmetic crosses it.
RATED_ON = dt.date(2026, 9, 30)


def world() -> dict[str, Any]:
    official_calendar()
    calendar_cache_clear()
    units = catalog_f.org()
    version = catalog_f.item(unit=units["dept"], status="published")
    center = org_f.center(units["comm1"], windows=2)
    nobody = org_services.staff_create(
        actor=org_f.SYSTEM,
        username=f"norole{next(_seq)}",
        password="Test-Passw0rd!",
        full_name="无角色人员",
    )
    return {
        **units,
        "version": version,
        "window": center.windows.order_by("number").first(),
        "window2": center.windows.order_by("number").last(),
        "approver": org_f.staff(units["dept"], Role.APPROVER),
        "approver2": org_f.staff(units["dept"], Role.APPROVER),
        "supervisor": org_f.staff(units["district"], Role.SUPERVISOR),
        "supervisor2": org_f.staff(units["district"], Role.SUPERVISOR),
        "clerk": org_f.staff(units["comm1"], Role.WINDOW_CLERK),
        "outsider": org_f.staff(units["sub2"], Role.APPROVER),
        "nobody": nobody,
    }


def case(
    w: dict[str, Any],
    *,
    status: str = "delivered",
    applicant=None,
    window: Any = "default",
) -> Case:
    """A case of the department's item accepted at the community (no workflow: ratings only
    read the status, the units, the item and the window)."""
    n = next(_seq)
    return Case.objects.create(
        number=f"RATE-{n:05d}",
        applicant=applicant or applicant_f.person(),
        implementation_item=w["version"].implementation_item,
        item_version=w["version"],
        channel="window",
        status=status,
        unit=w["comm1"],
        current_unit=w["dept"],
        window=w["window"] if window == "default" else window,
        concluded_on=dt.date(2026, 9, 18),
    )


def rated(
    w: dict[str, Any],
    level: int = 5,
    *,
    channel: str = "online",
    on: dt.date = RATED_ON,
    case_: Case | None = None,
    **fields,
) -> Rating:
    c = case_ or case(w)
    return services.rating_submit(
        case=c, level=level, channel=channel, actor=c.applicant.audit_label, on=on, **fields
    )


def bad(w: dict[str, Any], level: int = 1, **fields) -> Rectification:
    return rated(w, level, **fields).rectification


def visited(w: dict[str, Any], *, on: dt.date = dt.date(2026, 10, 9), **fields) -> Rectification:
    rectification = bad(w, **fields)
    return services.rectification_return_visit(
        rectification=rectification,
        result="satisfied",
        note="电话回访，说明了情况",
        actor=w["approver"],
        on=on,
    )


def rectified(
    w: dict[str, Any],
    *,
    on: dt.date = dt.date(2026, 10, 12),
    measures: str = "增设引导员",
    **fields,
) -> Rectification:
    rectification = visited(w, **fields)
    return services.rectification_complete(
        rectification=rectification, measures=measures, actor=w["approver"], on=on
    )


def appealed(
    w: dict[str, Any], *, actor=None, reason: str = "误评，有监控为证", **fields
) -> RatingAppeal:
    rectification = bad(w, **fields)
    return services.appeal_file(
        rating=rectification.rating, reason=reason, actor=actor or w["approver"]
    )


def decided(w: dict[str, Any], *, upheld: bool, **fields) -> RatingAppeal:
    appeal = appealed(w, **fields)
    return services.appeal_decide(
        appeal=appeal, upheld=upheld, note="核实监控录像", actor=w["supervisor"]
    )
