"""Test data for demand analysis: online cases at a chosen stage, searches, views."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from sanyi.analytics.models import BehaviourCount
from sanyi.cases.choices import CaseChannel, CaseStatus, MaterialOrigin, MaterialStatus
from sanyi.cases.models import Case, CaseMaterial, PrecheckRound, new_short_number
from sanyi.search.models import SearchQueryLog

_seq = itertools.count(1)


def online_case(
    w: dict[str, Any],
    *,
    version=None,
    days_ago: int = 1,
    idle_days: int = 0,
    form: bool = False,
    uploaded: bool = False,
    submitted: bool = False,
    returned_with: str | None = None,
    accepted: bool = False,
) -> Case:
    """An online case created ``days_ago`` days back and last saved ``idle_days`` back,
    with the checklist of the item's guide (申请书 to upload, 营业执照 shared)."""
    version = version or w["version"]
    item = version.implementation_item
    now = timezone.now()
    status = CaseStatus.DRAFT
    if submitted:
        status = CaseStatus.PRECHECK_RETURNED if returned_with else CaseStatus.PRECHECK
    if accepted:
        status = CaseStatus.IN_PROGRESS
    case = Case.objects.create(
        number=f"DEMAND-{next(_seq):06d}",
        short_number=new_short_number(),
        applicant=w["applicant"],
        implementation_item=item,
        item_version=version,
        channel=CaseChannel.ONLINE,
        status=status,
        unit=item.implementing_unit,
        current_unit=item.implementing_unit,
        form_data={"phone": "13800000000"} if form else {},
        submitted_at=now if submitted else None,
        accepted_on=timezone.localdate() if accepted else None,
    )
    for m in version.materials.order_by("position"):
        shared = m.source == "shared_data"
        CaseMaterial.objects.create(
            case=case,
            material=m,
            name=m.name,
            position=m.position,
            required=m.necessity != "optional",
            origin=MaterialOrigin.SHARED if shared else MaterialOrigin.UPLOAD,
            status=MaterialStatus.SHARED if shared else MaterialStatus.PENDING,
            file="" if shared or not uploaded else "cases/materials/x.pdf",
            uploaded_at=(now - dt.timedelta(days=idle_days)) if uploaded and not shared else None,
        )
    if returned_with:
        PrecheckRound.objects.create(
            case=case,
            number=1,
            notice="需补正",
            items=[{"material": returned_with, "problem": "缺少签名"}],
            created_by=w["supervisor"],
        )
    Case.objects.filter(pk=case.pk).update(
        created_at=now - dt.timedelta(days=days_ago),
        updated_at=now - dt.timedelta(days=idle_days),
    )
    case.refresh_from_db()
    return case


def searches(text: str, n: int, *, top: str = "", result_count: int = 0, poor=False) -> None:
    SearchQueryLog.objects.bulk_create(
        [
            SearchQueryLog(
                text=text,
                kinds="catalog.item",
                result_count=result_count,
                took_ms=3,
                is_poor=poor,
                top_result=top,
                created_at=timezone.now() - dt.timedelta(hours=1),
            )
            for _ in range(n)
        ]
    )


def views(item, n: int, *, kind: str = "guide_view", days_ago: int = 1) -> None:
    BehaviourCount.objects.create(
        day=timezone.localdate() - dt.timedelta(days=days_ago), item=item, kind=kind, sessions=n
    )
