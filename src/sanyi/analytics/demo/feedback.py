"""What residents said about the demo year: ratings of delivered cases (most good, a few
bad, each bad one rectified as the ratings app does it) and the searches they typed."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from sanyi.analytics.demo.cases import Dates
from sanyi.cases.choices import CaseChannel, CaseStatus
from sanyi.cases.models import Case
from sanyi.catalog.indexing import ITEM_KIND
from sanyi.ratings.choices import (
    BAD_LEVEL,
    CRITERIA,
    RatingChannel,
    RectificationStatus,
    ReturnVisitResult,
)
from sanyi.ratings.models import Rating, Rectification
from sanyi.search.models import SearchDocument, SearchQueryLog

RATED_SHARE = 0.6
# Levels 5 … 1 and how often each is given.
LEVELS = (5, 4, 3, 2, 1)
LEVEL_WEIGHTS = (70, 18, 7, 3, 2)
BAD_COMMENTS = ("排队时间太长", "窗口人员态度不好", "材料要求说得不清楚，跑了两趟", "办理太慢")
GOOD_COMMENTS = ("", "", "", "办事很快", "工作人员很耐心", "网上就办好了，很方便")
MEASURES = "已约谈当事窗口人员，完善一次性告知单，增设取号引导。"


def _rating(case: Case, dates: Dates, rng, now: dt.datetime) -> Rating:
    level = rng.choices(LEVELS, LEVEL_WEIGHTS)[0]
    channel = RatingChannel.OFFLINE if case.channel == CaseChannel.WINDOW else RatingChannel.ONLINE
    rated_at = min(case.delivered_at + dt.timedelta(hours=rng.randint(0, 72)), now)
    comments = BAD_COMMENTS if level <= BAD_LEVEL else GOOD_COMMENTS
    return Rating(
        case=case,
        applicant_id=case.applicant_id,
        channel=channel,
        level=level,
        criteria={key: level for key, _ in CRITERIA[channel]},
        comment=comments[rng.randrange(len(comments))],
        rated_at=rated_at,
        rated_on=timezone.localdate(rated_at),
        unit_id=case.unit_id,
        handling_unit_id=case.current_unit_id,
        item_id=case.implementation_item_id,
        window_id=case.window_id,
    )


def _rectification(rating: Rating, dates: Dates, today: dt.date) -> Rectification:
    """The rectification a bad rating opens; done and visited back unless still recent."""
    due = dates.after(rating.rated_on, int(settings.SANYI_RECTIFICATION_DAYS))
    done_on = dates.after(rating.rated_on, 3)
    finished = done_on < today
    return Rectification(
        rating=rating,
        unit_id=rating.handling_unit_id,
        status=RectificationStatus.DONE if finished else RectificationStatus.OPEN,
        opened_on=rating.rated_on,
        due_on=due,
        return_visit_on=done_on if finished else None,
        return_visit_result=ReturnVisitResult.SATISFIED if finished else "",
        return_visit_note="已电话回访，申请人表示理解。" if finished else "",
        measures=MEASURES if finished else "",
        completed_on=done_on if finished else None,
    )


def rate(cases: list[Case], dates: Dates, rng, today: dt.date) -> tuple[int, int]:
    """Ratings for about 60 % of the delivered cases; returns (ratings, bad ones)."""
    now = timezone.now()
    ratings = [
        _rating(c, dates, rng, now)
        for c in cases
        if c.status == CaseStatus.DELIVERED and rng.random() < RATED_SHARE
    ]
    Rating.objects.bulk_create(ratings, batch_size=500)
    bad = [_rectification(r, dates, today) for r in ratings if r.level <= BAD_LEVEL]
    Rectification.objects.bulk_create(bad, batch_size=500)
    return len(ratings), len(bad)


# (text, relative frequency); found by the catalogue when it names an item.
POPULAR = (
    ("医保", 30),
    ("社保", 26),
    ("居住证", 22),
    ("低保", 18),
    ("营业执照", 16),
    ("高龄津贴", 14),
    ("失业", 13),
    ("公租房", 12),
    ("残疾人证", 10),
    ("生孩子", 10),
    ("退休", 9),
    ("食品经营许可", 8),
    ("入学", 8),
    ("就业创业证", 7),
    ("护理补贴", 6),
    ("法律援助", 6),
    ("施工许可", 5),
    ("个体工商户", 5),
    ("优待证", 4),
    ("排水", 3),
)
# Asked for, nothing found: the catalogue lacks the words people use.
ZERO = (
    ("护照", 9),
    ("公积金提取", 8),
    ("驾照换证", 7),
    ("结婚登记", 6),
    ("房产证", 5),
    ("违章", 3),
)
# Something found, but only in the body of a guide: poor answers.
POOR = (("证明", 6), ("补办", 5), ("地址", 4), ("孩子上学", 4), ("老人", 3))
SEARCHES_PER_CASE = 0.6


def _first_items(texts: list[str]) -> dict[str, tuple[str, int]]:
    """For each text, the first catalogue item whose title contains it and how many do."""
    found = {}
    for text in texts:
        docs = list(
            SearchDocument.objects.filter(kind=ITEM_KIND, is_public=True, title__contains=text)
            .order_by("title")
            .values_list("object_id", flat=True)[:20]
        )
        found[text] = (f"{ITEM_KIND}:{docs[0]}" if docs else "", len(docs))
    return found


def search_logs(days: list[dt.date], cases_per_day: dict[dt.date, int], rng) -> int:
    """Searches typed over the year, as many as the cases of a day bring, in bulk."""
    topics = [*POPULAR, *ZERO, *POOR]
    texts, weights = [t for t, _ in topics], [w for _, w in topics]
    found = _first_items([t for t, _ in POPULAR + POOR])
    zero, poor = {t for t, _ in ZERO}, {t for t, _ in POOR}
    now, rows = timezone.now(), []
    for day in days:
        count = int(cases_per_day.get(day, 0) * SEARCHES_PER_CASE) + rng.randint(0, 3)
        for _ in range(count):
            text = rng.choices(texts, weights)[0]
            top, hits = ("", 0) if text in zero else found.get(text, ("", 0))
            at = dt.time(rng.randrange(7, 23), rng.randrange(60))
            moment = timezone.make_aware(dt.datetime.combine(day, at))
            rows.append(
                SearchQueryLog(
                    text=text,
                    kinds=ITEM_KIND,
                    result_count=hits if text not in poor else max(hits, rng.randint(1, 4)),
                    took_ms=rng.randint(8, 90),
                    is_anonymous=rng.random() < 0.8,
                    is_poor=text in poor,
                    top_result=top,
                    created_at=min(moment, now),
                )
            )
    SearchQueryLog.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
