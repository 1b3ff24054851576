"""Staff pages: bad ratings to rectify (return visit, measures), appeals, statistics, and
the rating pad at a window (线下评价器)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanyi.orgs.models import Role
from sanyi.orgs.permissions import has_role
from sanyi.ratings.choices import RatingChannel, RectificationStatus
from sanyi.ratings.flow import RatingPage, rating_form_response
from sanyi.ratings.models import RatingAppeal
from sanyi.ratings.selectors import (
    can_read_ratings,
    is_overdue,
    pending_appeals_for,
    rating_pad_cases,
    rating_search,
    rating_stats,
    rating_totals,
    ratings_visible_to,
    rectification_worklist,
    rectifications_visible_to,
)
from sanyi.ratings.services import (
    appeal_decide,
    appeal_file,
    rectification_complete,
    rectification_return_visit,
)
from sanyi.ratings.web.forms import (
    AppealDecisionForm,
    AppealForm,
    CompleteForm,
    ReturnVisitForm,
    StatsFilterForm,
)


def _apply_errors(form, exc: ValidationError) -> None:
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _require_reader(request) -> None:
    if not can_read_ratings(request.user):
        raise PermissionDenied("只有窗口人员、审批人员和督查人员可以查看评价")


def home(request):
    _require_reader(request)
    status = request.GET.get("status", RectificationStatus.OPEN)
    if status not in RectificationStatus.values:
        status = RectificationStatus.OPEN
    page = Paginator(rectification_worklist(request.user, status=status), 50).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [(r, is_overdue(r, today)) for r in page.object_list]
    return render(
        request,
        "ratings/staff/home.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": RectificationStatus.choices,
            "appeals": pending_appeals_for(request.user)[:50],
        },
    )


def _detail_context(request, rectification, **forms):
    rating = rectification.rating
    user = request.user
    can_act = has_role(user, (Role.APPROVER, Role.SUPERVISOR), rectification.unit)
    pending = rating.appeals.filter(status="pending").select_related("filed_by").first()
    return {
        "rectification": rectification,
        "rating": rating,
        "case": rating.case,
        "overdue": is_overdue(rectification),
        "can_act": can_act and rectification.status == RectificationStatus.OPEN,
        "pending_appeal": pending,
        "can_decide": pending is not None
        and pending.filed_by_id != user.pk
        and has_role(user, Role.SUPERVISOR, rectification.unit),
        "appeals": rating.appeals.select_related("filed_by", "decided_by"),
        "visit_form": forms.get("visit_form") or ReturnVisitForm(),
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "appeal_form": forms.get("appeal_form") or AppealForm(),
        "decision_form": forms.get("decision_form") or AppealDecisionForm(),
    }


def rectification_detail(request, pk: int):
    rectification = get_object_or_404(rectifications_visible_to(request.user), pk=pk)
    return render(request, "ratings/staff/detail.html", _detail_context(request, rectification))


@require_POST
def rectification_action(request, pk: int, action: str):
    rectification = get_object_or_404(rectifications_visible_to(request.user), pk=pk)
    forms_by_action = {
        "visit": ("visit_form", ReturnVisitForm),
        "complete": ("complete_form", CompleteForm),
        "appeal": ("appeal_form", AppealForm),
        "decide": ("decision_form", AppealDecisionForm),
    }
    if action not in forms_by_action:
        raise PermissionDenied("不支持的操作")
    name, form_class = forms_by_action[action]
    form = form_class(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "visit":
                rectification_return_visit(
                    rectification=rectification,
                    result=data["result"],
                    note=data["note"],
                    actor=request.user,
                )
                done = "回访已记录"
            elif action == "complete":
                rectification_complete(
                    rectification=rectification, measures=data["measures"], actor=request.user
                )
                done = "整改已完成，将在好差评公示页公开"
            elif action == "appeal":
                appeal_file(rating=rectification.rating, reason=data["reason"], actor=request.user)
                done = "申诉已提交，等待上级督查人员复核"
            else:
                appeal = get_object_or_404(
                    RatingAppeal, rating=rectification.rating, status="pending"
                )
                appeal_decide(
                    appeal=appeal, upheld=data["upheld"], note=data["note"], actor=request.user
                )
                done = "复核意见已保存"
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("workbench:ratings:rectification", pk=rectification.pk)
    rectification.refresh_from_db()
    return render(
        request,
        "ratings/staff/detail.html",
        _detail_context(request, rectification, **{name: form}),
        status=400,
    )


def stats(request):
    _require_reader(request)
    form = StatsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    start = data.get("start") or today.replace(month=1, day=1)
    end = data.get("end") or today
    rows = rating_stats(
        by=data.get("by") or "unit",
        start=start,
        end=end,
        queryset=ratings_visible_to(request.user),
    )
    return render(
        request,
        "ratings/staff/stats.html",
        {"form": form, "rows": rows, "total": rating_totals(rows), "start": start, "end": end},
    )


def rating_pad(request, number: str):
    """The rating pad at a window: the clerk opens it, the applicant taps the rating."""
    case = get_object_or_404(rating_pad_cases(request.user), number=number)
    page = RatingPage(
        channel=RatingChannel.OFFLINE,
        actor=f"{case.applicant.audit_label}（窗口评价器）",
        form_template="ratings/staff/pad.html",
        done_template="ratings/staff/pad_done.html",
        done_url=reverse("workbench:ratings:pad", args=[case.number]),
        window=case.window,
    )
    return rating_form_response(request, case, page)


def rating_list(request):
    _require_reader(request)
    level = request.GET.get("level", "")
    q = (request.GET.get("q") or "").strip()
    qs = rating_search(
        request.user,
        level=int(level) if level in {"1", "2", "3", "4", "5"} else None,
        case_number=q,
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "ratings/staff/list.html", {"page": page, "level": level, "q": q})
