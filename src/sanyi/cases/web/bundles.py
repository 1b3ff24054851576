"""The resident's bundle pages (一件事一次办): one form, one receipt, one tracking page.

Step 1 asks the shared fields (a GET form, so it works without JavaScript); step 2 lists
the materials those answers need, each uploaded once, and submits everything in one call
of ``services.bundle_apply``.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from sanyi.applicants.auth import applicant_login_required, current_applicant
from sanyi.cases import bundle_selectors, services
from sanyi.cases.models import Bundle
from sanyi.catalog.models import LifeEvent
from sanyi.catalog.selectors import life_event_plan
from sanyi.core.forms import apply_service_errors
from sanyi.core.ratelimit import hit, too_many
from sanyi.orgs.areas import area_from_request


class AnswersForm(forms.Form):
    """The life event's shared fields, asked once."""

    def __init__(self, *args, event: LifeEvent, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in event.fields:
            name = f"answer_{field['name']}"
            if field["kind"] == "yes_no":
                self.fields[name] = forms.ChoiceField(
                    label=field["label"],
                    choices=[("yes", "是"), ("no", "否")],
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[name] = forms.CharField(label=field["label"], max_length=200)

    def answers(self) -> dict[str, str]:
        return {k.removeprefix("answer_"): v for k, v in self.cleaned_data.items()}


class UploadsForm(forms.Form):
    """One file field per material the whole bundle needs, each asked once."""

    def __init__(self, *args, needed: dict[str, bool], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.names = {}
        for i, (name, required) in enumerate(needed.items(), 1):
            self.fields[f"upload_{i}"] = forms.FileField(
                label=name + ("" if required else "（非必要）"), required=required
            )
            self.names[f"upload_{i}"] = name

    def uploads(self) -> dict:
        return {self.names[k]: f for k, f in self.cleaned_data.items() if f}


def _event(pk: int) -> LifeEvent:
    event = LifeEvent.objects.filter(pk=pk).first()
    if event is None or not event.members.exists():
        raise Http404("没有找到这件事")
    return event


@applicant_login_required
def bundle_apply(request, pk: int):
    """One form for the whole life event."""
    applicant = current_applicant(request)
    event = _event(pk)
    answers_form = AnswersForm(request.GET or None, event=event)
    if event.fields and not answers_form.is_valid():
        return render(
            request, "cases/public/bundle_answers.html", {"event": event, "form": answers_form}
        )
    answers = answers_form.answers() if event.fields else {}
    clean = services.bundle_clean_answers(event, answers)
    area = services.bundle_area(applicant, area_from_request(request))
    plan = life_event_plan(event, clean, area=area)
    form = UploadsForm(
        request.POST or None, request.FILES or None, needed=services.bundle_uploads_needed(plan)
    )
    if request.method == "POST":
        if not hit(request, "bundle-apply", default="10/10"):
            return too_many(request)
        if form.is_valid():
            try:
                bundle = services.bundle_apply(
                    applicant=applicant,
                    life_event=event,
                    answers=answers,
                    uploads=form.uploads(),
                    actor=applicant.audit_label,
                    idempotency_key=request.POST.get("key", "")[:80],
                    area=area,
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                return redirect("cases:bundle_receipt", bundle.number)
    return render(
        request,
        "cases/public/bundle_apply.html",
        {
            "event": event,
            "plan": plan,
            "area": area,
            "form": form,
            "answers": answers,
            "key": uuid.uuid4().hex,
        },
    )


def _own(request, number: str) -> Bundle:
    try:
        return bundle_selectors.applicant_bundle_get(current_applicant(request), number)
    except Bundle.DoesNotExist:
        raise Http404("没有找到这件申请") from None


@applicant_login_required
def bundle_receipt(request, number: str):
    """The one receipt of the bundle: its number and every member case it started."""
    bundle = _own(request, number)
    return render(
        request,
        "cases/public/bundle_receipt.html",
        {"bundle": bundle, "statuses": bundle_selectors.bundle_statuses(bundle)},
    )


@applicant_login_required
def bundle_detail(request, number: str):
    """The one tracking page: each member's status, unit and case number."""
    bundle = _own(request, number)
    return render(
        request,
        "cases/public/bundle_detail.html",
        {"bundle": bundle, "statuses": bundle_selectors.bundle_statuses(bundle)},
    )


PER_PAGE = 20


@require_safe
@applicant_login_required
def my_bundles(request):
    """我的一件事: the applicant's bundles, newest first, each with its members' states
    and the link to its one tracking page. A fixed number of queries per page."""
    page = Paginator(
        bundle_selectors.applicant_bundles(current_applicant(request)), PER_PAGE
    ).get_page(request.GET.get("page"))
    rows = [(bundle, bundle_selectors.bundle_statuses(bundle)) for bundle in page]
    return render(request, "cases/public/my_bundles.html", {"page": page, "rows": rows})


def register_section_link() -> None:
    """Called from CasesConfig.ready(): "我的一件事" on the applicant's home."""
    from django.utils.translation import gettext_lazy as _

    from sanyi.applicants.portal import register_section

    register_section(_("我的一件事"), "my_bundles:list", order=11)
