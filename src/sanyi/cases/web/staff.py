"""Back-office case pages (办件办理): the section home, the worklists, the overdue view and
the visit rates. The case page and its actions are in ``views_staff_case``.

Only window clerks, approvers and supervisors reach these pages (403 for everyone else).
What a viewer sees comes from the selectors of ``sanyi.cases.selectors``, which scope every
query to the viewer's org subtree; a view never filters by permission itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanyi.cases import selectors
from sanyi.cases.choices import OPEN_STATUSES, CaseStatus, WarningLevel
from sanyi.cases.clocks import warning_share
from sanyi.cases.web.staff_forms import PeriodForm, WorklistFilterForm
from sanyi.catalog.models import ImplementationItem
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import scope_paths

CASE_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR)
PER_PAGE = 25
# The overdue view lists at most this many cases (the most urgent first); the counts per
# unit above it always cover all of them.
OVERDUE_LIMIT = 300

SCOPES = {
    "mine": {
        "title": "我的待办",
        "lead": "分配给我的办理环节，按环节期限排列，最早到期的在最前。",
    },
    "unit": {
        "title": "本单位待办",
        "lead": "由本单位办理、尚未办结的环节。没有承办人的环节可以“认领”后办理。",
    },
    "subtree": {
        "title": "辖区办件",
        "lead": "辖区内所有单位正在办理的环节（监督查看）。",
    },
}


def require_case_staff(request) -> None:
    if not scope_paths(request.user, CASE_ROLES):
        raise PermissionDenied("只有窗口人员、审批人员和监督人员可以使用办件办理")


def require_supervisor(request) -> None:
    if not scope_paths(request.user, Role.SUPERVISOR):
        raise PermissionDenied("只有监督人员可以查看辖区办件")


def held(user, role) -> bool:
    return bool(scope_paths(user, role))


# --- the section home -----------------------------------------------------------------------


@require_safe
def home(request):
    require_case_staff(request)
    user = request.user
    cases = selectors.cases_visible_to(user)
    warnings = dict(
        cases.filter(status__in=OPEN_STATUSES)
        .exclude(warning_level=WarningLevel.NONE)
        .values_list("warning_level")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {
        "mine": selectors.worklist(user, scope="mine", filters={}).count(),
        "unit": selectors.worklist(user, scope="unit", filters={}).count(),
        "yellow": warnings.get(WarningLevel.YELLOW, 0),
        "red": warnings.get(WarningLevel.RED, 0),
        "pickup": cases.filter(status=CaseStatus.CONCLUDED).count(),
    }
    return render(
        request,
        "cases/staff/home.html",
        {
            "counts": counts,
            "is_supervisor": held(user, Role.SUPERVISOR),
            "pickup_url": _pickup_url() if held(user, Role.WINDOW_CLERK) else "",
            "warning_percent": round(warning_share() * 100),
        },
    )


def _pickup_url() -> str:
    """The window's hand-over list (统一出件), when the counter pages are installed."""
    try:
        return reverse("workbench:cases:counter_pickup")
    except NoReverseMatch:
        return ""


# --- worklists ------------------------------------------------------------------------------


def _item_choices(tasks) -> list[tuple[int, str]]:
    """The items of the tasks in the list (one query), for the item filter."""
    items = (
        ImplementationItem.objects.filter(pk__in=tasks.values("case__implementation_item"))
        .select_related("base_item", "implementing_unit")
        .order_by("base_item__name", "implementation_code")
    )
    return [(i.pk, f"{i.base_item.name}（{i.implementing_unit.name}）") for i in items]


def _worklist(request, scope: str):
    require_case_staff(request)
    if scope == "subtree":
        require_supervisor(request)
    user = request.user
    everything = selectors.worklist(user, scope=scope, filters={})
    form = WorklistFilterForm(request.GET or None, items=_item_choices(everything))
    filters = form.filters()
    tasks = selectors.worklist(user, scope=scope, filters=filters)
    page = Paginator(tasks, PER_PAGE).get_page(request.GET.get("page", 1))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/staff/worklist.html",
        {
            "scope": scope,
            **SCOPES[scope],
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
            "can_claim": scope == "unit",
            "is_supervisor": held(user, Role.SUPERVISOR),
        },
    )


@require_safe
def worklist_mine(request):
    return _worklist(request, "mine")


@require_safe
def worklist_unit(request):
    return _worklist(request, "unit")


@require_safe
def worklist_subtree(request):
    return _worklist(request, "subtree")


# --- the overdue view -----------------------------------------------------------------------


@require_safe
def overdue(request):
    """Red and yellow cases in the viewer's scope, grouped by the unit handling them now.

    Red: running past the due date (``overdue_cases``, by date, so a case is red on the
    day after its due date even before the nightly warning run). Yellow: the warning light
    the nightly run set on a case still within its time.
    """
    require_case_staff(request)
    user = request.user
    today = timezone.localdate()
    red = selectors.overdue_cases(user, today=today)
    yellow = (
        selectors.cases_visible_to(user)
        .filter(status__in=OPEN_STATUSES, warning_level=WarningLevel.YELLOW)
        .exclude(pk__in=red.values("pk"))
        .select_related(*selectors.CASE_LIST_RELATED)
        .order_by("promised_due_on", "pk")
    )
    groups: dict[int, dict] = {}
    for level, qs in (("red", red), ("yellow", yellow)):
        for unit_id, n in qs.values_list("current_unit").annotate(n=Count("pk")).order_by():
            groups.setdefault(unit_id, {"red": 0, "yellow": 0, "cases": []})[level] = n
    shown = 0
    for level, qs in (("red", red), ("yellow", yellow)):
        for case in qs[: max(OVERDUE_LIMIT - shown, 0)]:
            case.level = level
            groups[case.current_unit_id]["cases"].append(case)
            shown += 1
    units = OrgUnit.objects.in_bulk(list(groups))
    for unit_id, group in groups.items():
        group["unit"] = units[unit_id]
    ordered = sorted(groups.values(), key=lambda g: (-g["red"], -g["yellow"], g["unit"].path))
    return render(
        request,
        "cases/staff/overdue.html",
        {
            "groups": ordered,
            "total_red": sum(g["red"] for g in ordered),
            "total_yellow": sum(g["yellow"] for g in ordered),
            "shown": shown,
            "limit": OVERDUE_LIMIT,
            "today": today,
            "is_supervisor": held(user, Role.SUPERVISOR),
        },
    )


# --- visit rates ----------------------------------------------------------------------------


@require_safe
def visit_rates(request):
    """One-visit and zero-visit rates of the cases concluded in a period (跑动次数): for
    the viewer's whole scope, per accepting unit, and per item."""
    require_case_staff(request)
    user = request.user
    form = PeriodForm(request.GET or None)
    start = end = None
    if form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    report = selectors.visit_rates_for(user, start=start, end=end)
    total = _rate_row("合计", report.total)
    per_unit = [_rate_row(group.label, group.rates) for group in report.per_unit]
    per_item = [_rate_row(group.label, group.rates) for group in report.per_item]
    return render(
        request,
        "cases/staff/visit_rates.html",
        {
            "form": form,
            "total": total,
            "per_unit": per_unit,
            "per_item": per_item,
            "start": start,
            "end": end,
            "is_supervisor": held(user, Role.SUPERVISOR),
        },
    )


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


def _rate_row(label: str, rates) -> dict:
    return {
        "label": label,
        "rates": rates,
        "zero_pct": _percent(rates.zero_visit_rate),
        "one_pct": _percent(rates.one_visit_rate),
        "at_most_one": rates.zero_visit + rates.one_visit,
    }


def register_staff() -> None:
    """The workbench tile of the back office and the cases part of the demo (called from
    the app's ready())."""
    from django.utils.translation import gettext_lazy as _

    from sanyi.core.demo import register as register_demo
    from sanyi.core.registry import NavEntry, register_tile

    register_tile(
        NavEntry(
            _("办件办理"),
            "workbench:cases:home",
            roles=set(CASE_ROLES),
            description=_("我的待办、本单位待办、预警超期、办结出件、跑动次数统计"),
            order=40,
        )
    )
    # After the org tree (10), the applicants (15) and the catalogue (20) it builds on.
    register_demo(
        order=30,
        name="cases",
        load="sanyi.cases.demo.load:load",
        is_loaded="sanyi.cases.demo.load:is_loaded",
    )
