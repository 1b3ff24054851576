"""Timeliness alerts: telling officers about publications that are overdue."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from sanyi.orgs.models import Role

OVERDUE_EVENT = "publication.overdue"


@transaction.atomic
def publication_overdue_alert(*, today: dt.date | None = None) -> int:
    """Tell the disclosure officers of each responsible body about its records whose
    publish-by date has passed and that are still not published. One message per record
    and publish-by date, however often this runs (the dedupe key carries the date, so a
    record whose formed date changes is reported again). Returns how many records were
    reported on this run or before."""
    from django.urls import reverse

    from sanyi.notify.services import notify_staff
    from sanyi.openness.selectors import publications_unpublished_past_due

    today = today or timezone.localdate()
    rows = publications_unpublished_past_due(today=today)
    for row in rows:
        pub, entry = row.publication, row.publication.directory_entry
        if entry is None:  # never: only records under a directory entry have a due date
            continue
        due = row.due.date.isoformat()
        notify_staff(
            event=OVERDUE_EVENT,
            subject=f"政府信息逾期未公开：{pub.title}",
            body=(
                f"“{pub.title}”（{entry.area.name}／{entry.item_l1}／{entry.item_l2}）"
                f"于{pub.formed_on:%Y年%m月%d日}形成或变更，公开时限“{entry.time_limit_text}”，"
                f"应在{row.due.date:%Y年%m月%d日}前公开，已逾期{row.days_late}天，"
                f"目前状态为“{pub.get_status_display()}”。请尽快办理。"
            ),
            link=reverse("workbench:openness:publication", args=[pub.pk]),
            obj=pub,
            unit=entry.org_unit,
            roles=(Role.DISCLOSURE_OFFICER,),
            dedupe_key=f"publication:{pub.pk}:overdue:{due}",
        )
    return len(rows)
