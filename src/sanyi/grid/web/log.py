"""Workbench pages of the visit log (走访台账) and supervision (督查), under /workbench/grid/:
the officer's households, one household's log with the new-visit form, and the
supervisor's figures with their Excel export."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from sanyi.grid import selectors, services
from sanyi.grid import supervision_selectors as sup
from sanyi.grid.web.forms import HouseholdFilterForm, HouseholdVisitForm, PeriodForm

PAGE_SIZE = 50


def _officer(request) -> None:
    if not selectors.is_officer(request.user):
        raise PermissionDenied("只有网格员可以查看走访台账")


def households(request):
    """The households of the officer's grids with their last and next visit."""
    _officer(request)
    form = HouseholdFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    rows = selectors.household_list(
        viewer=request.user, due=data.get("due") or "", q=data.get("q") or ""
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "grid/households.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(),
        },
    )


def household(request, pk: int):
    """One household: its visit log, newest first, the next visit due, the new-visit form."""
    _officer(request)
    item = selectors.household(request.user, pk)
    if item is None:
        raise Http404
    default_due = services.next_due_default(item, timezone.localdate())
    form = HouseholdVisitForm(request.POST or None, next_due=default_due)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.household_visit_record(
                applicant=item,
                actor=request.user,
                data=services.HouseholdVisitInput(
                    visited_at=data["visited_at"],
                    notes=data.get("notes") or "",
                    follow_up=bool(data.get("follow_up")),
                    next_due_on=data["next_due_on"],
                ),
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, f"已记录走访，下次走访日期{data['next_due_on']:%Y-%m-%d}。")
            return redirect("workbench:grid:household", pk=item.pk)
    return render(
        request,
        "grid/household.html",
        {
            "household": item,
            "visits": list(selectors.household_visits(request.user, item)[:100]),
            "form": form,
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )


def _supervisor(request) -> None:
    if not sup.is_supervisor(request.user):
        raise PermissionDenied("只有督查人员可以查看网格督查")


def supervision(request):
    """Per officer and per grid, the figures of the chosen period (this month by default)."""
    _supervisor(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    figures = sup.supervision_figures(viewer=request.user, start=start, end=end)
    return render(
        request,
        "grid/supervision.html",
        {"form": form, "figures": figures, "query": request.GET.urlencode()},
        status=400 if form.errors else 200,
    )


def supervision_export(request):
    _supervisor(request)
    form = PeriodForm(request.GET or None)
    start, end = form.period()
    data = services.supervision_export(viewer=request.user, start=start, end=end)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''grid-supervision-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"
    )
    return response
