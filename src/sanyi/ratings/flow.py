"""The one rating form flow, shared by the online page and the window's rating pad."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from sanyi.ratings.models import Rating
from sanyi.ratings.services import RATEABLE_STATUSES, rating_submit
from sanyi.ratings.web.forms import RatingForm


@dataclass(frozen=True)
class RatingPage:
    channel: str
    actor: str
    form_template: str
    done_template: str
    done_url: str  # where a successful post redirects (the same page, now showing the rating)
    window: object = None


def rating_form_response(request, case, page: RatingPage):
    existing = Rating.objects.filter(case=case).first()
    if existing is not None:
        return render(request, page.done_template, {"case": case, "rating": existing})
    if case.status not in RATEABLE_STATUSES:
        return render(request, "ratings/not_yet.html", {"case": case}, status=409)
    form = RatingForm(request.POST or None, channel=page.channel)
    if request.method == "POST" and form.is_valid():
        try:
            rating_submit(
                case=case,
                level=form.cleaned_data["level"],
                criteria=form.criteria(),
                comment=form.cleaned_data["comment"],
                channel=page.channel,
                window=page.window,
                actor=page.actor,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect(page.done_url)
    return render(
        request,
        page.form_template,
        {"case": case, "form": form},
        status=400 if form.errors else 200,
    )
