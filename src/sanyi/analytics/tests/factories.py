"""Test data for the rollups: a small tree, one item, and cases written in bulk with the
dates the rollups read (the case services are tested in the cases app)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from sanyi.applicants.tests import factories as applicant_f
from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.cases.models import Case, new_short_number
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

_seq = itertools.count(1)


def fact_world() -> dict[str, Any]:
    """A district with one subdistrict of two communities, a department and its item."""
    d = org_f.district(uscc=org_f.unique_uscc())
    sub = org_f.unit(d, OrgKind.SUBDISTRICT, uscc=org_f.unique_uscc())
    dept = org_f.unit(d, OrgKind.DEPARTMENT, uscc=org_f.unique_uscc())
    reviewer = org_f.staff(d, Role.CATALOG_ADMIN)
    version = catalog_f.item(unit=dept, status="published", reviewer=reviewer)
    return {
        "district": d,
        "sub": sub,
        "comm1": org_f.unit(sub, OrgKind.COMMUNITY),
        "comm2": org_f.unit(sub, OrgKind.COMMUNITY),
        "dept": dept,
        "version": version,
        "item": version.implementation_item,
        "applicant": applicant_f.person(),
        "supervisor": org_f.staff(d, Role.SUPERVISOR),
    }


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def bulk_cases(w: dict[str, Any], specs: list[dict[str, Any]]) -> list[Case]:
    """Cases from ``specs``: each names ``unit`` and may give ``channel``, ``received``
    (the day it came in), ``accepted_on``, ``concluded_on``, ``promised_due_on``,
    ``statutory_due_on`` and ``visits``."""
    cases = []
    for spec in specs:
        received = spec.get("received")
        channel = spec.get("channel", CaseChannel.WINDOW)
        concluded = spec.get("concluded_on")
        cases.append(
            Case(
                number=f"ANALYTICS-{next(_seq):06d}",
                short_number=new_short_number(),
                applicant=w["applicant"],
                implementation_item=w["item"],
                item_version=w["version"],
                channel=channel,
                status=CaseStatus.CONCLUDED if concluded else CaseStatus.IN_PROGRESS,
                unit=spec["unit"],
                current_unit=spec["unit"],
                submitted_at=at(received) if received and channel == CaseChannel.ONLINE else None,
                accepted_on=spec.get("accepted_on"),
                concluded_on=concluded,
                promised_due_on=spec.get("promised_due_on"),
                statutory_due_on=spec.get("statutory_due_on"),
                visits=spec.get("visits", 0),
            )
        )
    made = Case.objects.bulk_create(cases)
    # created_at is set on insert: move it to the day the case came in.
    for case, spec in zip(made, specs, strict=True):
        if spec.get("received"):
            case.created_at = at(spec["received"])
    Case.objects.bulk_update(made, ["created_at"])
    return made


def bulk_ratings(w: dict[str, Any], rated: list[tuple[Case, dict[str, Any]]]) -> list[Any]:
    """A rating for each (case, spec): ``level`` (1–5), ``rated_on``, ``excluded``; a bad
    one (level 2 or below) gets its rectification with ``due_on`` and ``completed_on``."""
    from sanyi.ratings.choices import BAD_LEVEL, RatingChannel, RectificationStatus
    from sanyi.ratings.models import Rating, Rectification

    ratings = Rating.objects.bulk_create(
        [
            Rating(
                case=case,
                applicant=w["applicant"],
                channel=RatingChannel.ONLINE,
                level=spec["level"],
                rated_at=at(spec["rated_on"]),
                rated_on=spec["rated_on"],
                unit=case.unit,
                handling_unit=case.unit,
                item=w["item"],
                excluded=spec.get("excluded", False),
            )
            for case, spec in rated
        ]
    )
    fixes = [
        Rectification(
            rating=rating,
            unit=rating.unit,
            status=RectificationStatus.DONE
            if spec.get("completed_on")
            else RectificationStatus.OPEN,
            opened_on=spec["rated_on"],
            due_on=spec["due_on"],
            completed_on=spec.get("completed_on"),
        )
        for rating, (_case, spec) in zip(ratings, rated, strict=True)
        if spec["level"] <= BAD_LEVEL
    ]
    Rectification.objects.bulk_create(fixes)
    return ratings
