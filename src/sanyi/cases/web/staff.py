"""Back-office case pages (办件办理): the section home, the worklists, the overdue view and
the visit rates. The case page and its actions are in ``views_staff_case``.

Only window clerks, approvers and supervisors reach these pages (403 for everyone else).
What a viewer sees comes from the selectors of ``sanyi.cases.selectors``, which scope every
query to the viewer's org subtree; a view never filters by permission itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from sanyi.cases import selectors
from sanyi.cases.choices import CaseStatus
from sanyi.cases.clocks import warning_share
from sanyi.cases.web.staff_forms import PeriodForm, WorklistFilterForm
from sanyi.core.links import reverse_per_pk
from sanyi.core.pagination import capped_count, keyset_page
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths

CASE_ROLES = (Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR)
PER_PAGE = 25

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
    """The section home: the viewer's counts, each counted up to 1000 ("超过1000")."""
    require_case_staff(request)
    user = request.user
    today = timezone.localdate()
    counts = {
        "mine": capped_count(selectors.worklist(user, scope="mine")),
        "unit": capped_count(selectors.worklist(user, scope="unit")),
        "red": capped_count(selectors.overdue_cases(user, today=today)),
        "yellow": capped_count(selectors.warning_cases(user, today=today)),
        "pickup": capped_count(
            selectors.cases_visible_to(user).filter(status=CaseStatus.CONCLUDED)
        ),
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


def _worklist(request, scope: str):
    require_case_staff(request)
    if scope == "subtree":
        require_supervisor(request)
    user = request.user
    selected = request.GET.get("item", "")
    choices = selectors.worklist_item_choices(
        user, selected=int(selected) if selected.isdigit() else None
    )
    form = WorklistFilterForm(request.GET or None, items=choices)
    tasks = selectors.worklist(user, scope=scope, filters=form.filters())
    page = keyset_page(request.GET, tasks, per_page=PER_PAGE, name=f"cases.worklist.{scope}")
    case_url = reverse_per_pk("workbench:cases:work_case")
    claim_url = reverse_per_pk("workbench:cases:work_case_action", "claim")
    rows = [(task, case_url(task.case_id), claim_url(task.case_id)) for task in page.object_list]
    return render(
        request,
        "cases/staff/worklist.html",
        {
            "scope": scope,
            **SCOPES[scope],
            "form": form,
            "page": page,
            "rows": rows,
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

OVERDUE_LEVELS = {
    "red": ("红灯超期", selectors.overdue_cases),
    "yellow": ("黄灯预警", selectors.warning_cases),
}


@require_safe
def overdue(request):
    """Red and yellow cases in the viewer's scope: a summary per unit handling them now and
    one list per light, most urgent first, paged by seeking with totals counted up to 1000.

    Red: running past the due date (``overdue_cases``, by date, so a case is red on the
    day after its due date even before the nightly warning run). Yellow: the warning light
    the nightly run set on a case still within its time.
    """
    require_case_staff(request)
    user = request.user
    today = timezone.localdate()
    level = request.GET.get("level", "red")
    if level not in OVERDUE_LEVELS:
        level = "red"
    summary = selectors.overdue_units(user, today=today)
    unit = None
    if unit_id := request.GET.get("unit", ""):
        unit = next((row.unit for row in summary if str(row.unit.pk) == unit_id), None)
        if unit is None:
            raise Http404("该单位不在您的职责范围内，或者没有亮灯的办件")
    label, select = OVERDUE_LEVELS[level]
    cases = select(user, today=today, unit=unit)
    page = keyset_page(request.GET, cases, per_page=PER_PAGE, name=f"cases.overdue.{level}")
    case_url = reverse_per_pk("workbench:cases:work_case")
    totals = {
        name: page.total if name == level else capped_count(lister(user, today=today, unit=unit))
        for name, (_, lister) in OVERDUE_LEVELS.items()
    }
    return render(
        request,
        "cases/staff/overdue.html",
        {
            "summary": summary,
            "level": level,
            "level_label": label,
            "levels": [(name, text, totals[name]) for name, (text, _) in OVERDUE_LEVELS.items()],
            "unit": unit,
            "page": page,
            "rows": [(case, case_url(case.pk)) for case in page.object_list],
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
