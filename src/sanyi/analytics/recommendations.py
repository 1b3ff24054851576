"""Improvement suggestions for catalogue administrators (改进建议), made from the demand
figures (``analytics.demand``):

* searches made at least MIN_SEARCHES times that found nothing or only poor results →
  add a synonym or the missing item;
* items where at least PRECHECK_RATE % of the submitted online applications (at least
  PRECHECK_MIN) were returned by the pre-check, naming the material the pre-check
  notices listed most often → improve the guide;
* items whose guide was opened at least VIEWS_MIN times but led to fewer than
  START_RATE % online applications → check the guide says clearly how to apply;
* items with at least ABANDON_MIN online drafts given up, naming the step most stopped at.

Each suggestion links to the page where it is fixed (the synonym editor, the item's
catalogue page) when the viewer may use that page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode

from sanyi.analytics.demand import (
    Abandonment,
    DraftStep,
    FunnelRow,
    Period,
    abandonment,
    funnel,
    rate,
    require_demand_reader,
)
from sanyi.cases.models import PrecheckRound
from sanyi.orgs.models import Role, User
from sanyi.orgs.permissions import scope_paths
from sanyi.search.selectors import can_edit_synonyms, poor_result_queries, synonym_terms

MIN_SEARCHES = 3
PRECHECK_MIN = 5
PRECHECK_RATE = 30
VIEWS_MIN = 30
START_RATE = 5
ABANDON_MIN = 5


class Kind:
    SEARCH = "search"
    PRECHECK = "precheck"
    VIEWS = "views"
    ABANDON = "abandon"


@dataclass(frozen=True)
class Recommendation:
    kind: str
    text: str
    count: int  # how many searches, returns, views or drafts stand behind it
    url: str = ""
    link_label: str = ""


def _search_suggestions(viewer: User, period: Period) -> list[Recommendation]:
    stats = [
        s
        for s in poor_result_queries(viewer=viewer, since=period.since, limit=500)
        if s.count >= MIN_SEARCHES
    ]
    editor = can_edit_synonyms(viewer)
    existing = synonym_terms(texts=[s.text for s in stats]) if editor else {}
    out = []
    for s in stats:
        if s.zero_result_count >= s.poor_result_count:
            text = f"居民搜索“{s.text}”{s.count}次但没有找到：考虑加同义词或补充事项"
        else:
            text = f"居民搜索“{s.text}”{s.count}次，找到的事项名称都对不上：考虑加同义词"
        url, label = "", ""
        if editor and s.text in existing:
            url = reverse("workbench:search:synonym_edit", args=[existing[s.text]])
            label = "修改同义词"
        elif editor:
            url = reverse("workbench:search:synonym_create") + "?" + urlencode({"term": s.text})
            label = "添加同义词"
        out.append(Recommendation(Kind.SEARCH, text, s.count, url, label))
    return out


def _most_missed(item_ids: list[int], period: Period) -> dict[int, str]:
    """Item id → the material online pre-check notices of its cases named most often."""
    counters: dict[int, Counter[str]] = {}
    rows = PrecheckRound.objects.filter(
        at_acceptance=False,
        case__implementation_item_id__in=item_ids,
        case__created_at__gte=period.since,
    ).values_list("case__implementation_item_id", "items")
    for item_id, items in rows:
        for entry in items if isinstance(items, list) else []:
            name = entry.get("material") if isinstance(entry, dict) else None
            if name:
                counters.setdefault(item_id, Counter())[str(name)] += 1
    return {i: c.most_common(1)[0][0] for i, c in counters.items()}


class _Links:
    def __init__(self, viewer: User) -> None:
        self.guides = bool(scope_paths(viewer, Role.CATALOG_ADMIN))

    def guide(self, row: FunnelRow) -> tuple[str, str]:
        if not self.guides:
            return "", ""
        code = row.item.implementation_code
        return reverse("workbench:catalog_item", args=[code]), "修改办事指南"


def _name(row: FunnelRow) -> str:
    return row.item.base_item.name


def _precheck_suggestions(
    rows: list[FunnelRow], period: Period, links: _Links
) -> list[Recommendation]:
    flagged = [
        r for r in rows if r.submitted >= PRECHECK_MIN and (r.returned_rate or 0) >= PRECHECK_RATE
    ]
    missed = _most_missed([r.item.pk for r in flagged], period)
    out = []
    for r in flagged:
        material = missed.get(r.item.pk)
        text = f"“{_name(r)}”有{r.returned_rate}%的网上申请预审未通过"
        text += f"，最多的是材料“{material}”" if material else ""
        text += "：请改进办事指南"
        out.append(Recommendation(Kind.PRECHECK, text, r.returned, *links.guide(r)))
    return out


def _view_suggestions(rows: list[FunnelRow], links: _Links) -> list[Recommendation]:
    out = []
    for r in rows:
        if r.guide_views >= VIEWS_MIN and (rate(r.started, r.guide_views) or 0) < START_RATE:
            text = (
                f"“{_name(r)}”的办事指南被查看{r.guide_views}次，只有{r.started}次开始网上申请："
                "请检查指南是否讲清楚了办理条件和怎么网上申请"
            )
            out.append(Recommendation(Kind.VIEWS, text, r.guide_views, *links.guide(r)))
    return out


def _abandon_suggestions(
    rows: list[FunnelRow], given_up: Abandonment, links: _Links
) -> list[Recommendation]:
    out = []
    for r in rows:
        steps = given_up.by_item.get(r.item.pk, {})
        total = sum(steps.values())
        if total < ABANDON_MIN:
            continue
        step = DraftStep(max(steps, key=lambda s: (steps[s], s)))
        text = (
            f"“{_name(r)}”有{total}份网上申请草稿没有提交，多数停在“{step.label}”："
            "请检查申请表和材料说明是否清楚"
        )
        out.append(Recommendation(Kind.ABANDON, text, total, *links.guide(r)))
    return out


def recommendations(
    *,
    viewer: User,
    period: Period,
    rows: list[FunnelRow] | None = None,
    given_up: Abandonment | None = None,
) -> list[Recommendation]:
    """Every suggestion for the viewer's scope in the period: search ones first, then the
    items' ones, each kind with the most behind it first. ``rows`` and ``given_up`` are
    the period's funnel and abandonment when the caller has them already."""
    require_demand_reader(viewer)
    if rows is None:
        rows = funnel(viewer=viewer, period=period)
    if given_up is None:
        given_up = abandonment(viewer=viewer, period=period)
    links = _Links(viewer)
    items = [
        *_precheck_suggestions(rows, period, links),
        *_view_suggestions(rows, links),
        *_abandon_suggestions(rows, given_up, links),
    ]
    searches = sorted(_search_suggestions(viewer, period), key=lambda r: -r.count)
    order = {Kind.PRECHECK: 0, Kind.VIEWS: 1, Kind.ABANDON: 2}
    return searches + sorted(items, key=lambda r: (order[r.kind], -r.count))
