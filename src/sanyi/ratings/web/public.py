"""Public pages: rate a concluded case (the applicant, signed in) and the published statistics."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from sanyi.applicants.auth import applicant_login_required, current_applicant
from sanyi.cases.models import Case
from sanyi.ratings.choices import RatingChannel
from sanyi.ratings.flow import RatingPage, rating_form_response
from sanyi.ratings.selectors import published_rectifications, rating_stats, rating_totals
from sanyi.ratings.web.forms import StatsFilterForm


def _own_case(request, number: str) -> Case:
    applicant = current_applicant(request)
    case = (
        Case.objects.select_related("implementation_item__base_item", "applicant")
        .filter(number=number, applicant=applicant)
        .first()
    )
    if case is None:
        raise Http404("没有找到您的这件办件")
    return case


@applicant_login_required
def rate(request, number: str):
    case = _own_case(request, number)
    page = RatingPage(
        channel=RatingChannel.ONLINE,
        actor=case.applicant.audit_label,
        form_template="ratings/rate.html",
        done_template="ratings/rated.html",
        done_url=reverse("ratings:rate", args=[case.number]),
    )
    return rating_form_response(request, case, page)


def stats(request):
    form = StatsFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    start = data.get("start") or today.replace(month=1, day=1)
    end = data.get("end") or today
    by = data.get("by") or "unit"
    rows = rating_stats(by=by, start=start, end=end)
    return render(
        request,
        "ratings/stats.html",
        {
            "form": form,
            "rows": rows,
            "total": rating_totals(rows),
            "start": start,
            "end": end,
            "rectifications": published_rectifications(),
        },
    )
