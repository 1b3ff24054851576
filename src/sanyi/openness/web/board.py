"""The community notice board (公开栏): the public board of a community or grid with its
subscribe form, the notices' pictures, and the officers' phone form to post a notice.

Posting drafts the notice and sends it for the confidentiality check; another disclosure
officer of the community reviews and publishes it on the ordinary publication pages.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from sanyi.applicants.auth import current_applicant
from sanyi.core.forms import apply_service_errors
from sanyi.core.responses import file_response
from sanyi.openness import selectors, services
from sanyi.openness.choices import FiveKind
from sanyi.openness.models import DirectoryEntry
from sanyi.orgs.models import OrgUnit, Role
from sanyi.orgs.permissions import scope_units


def _board_unit(ref: str) -> OrgUnit:
    unit = selectors.board_unit_get(ref)
    if unit is None:
        raise Http404("没有找到这个社区或网格的公开栏")
    return unit


@require_safe
def board(request, ref: str):
    unit = _board_unit(ref)
    applicant = current_applicant(request)
    context = {
        "board": selectors.board_get(unit),
        "applicant": applicant,
        "subscription": selectors.board_subscription_get(applicant.pk if applicant else None, unit),
    }
    return render(request, "openness/public/board.html", context)


@require_POST
def board_subscribe(request, ref: str):
    unit = _board_unit(ref)
    applicant = current_applicant(request)
    if applicant is None:
        messages.error(request, "请先登录后再订阅公开栏")
        return redirect("openness:board", ref=unit.pk)
    if request.POST.get("action") == "unsubscribe":
        services.board_unsubscribe(actor=applicant.audit_label, applicant=applicant, unit=unit)
        messages.success(request, f"已取消订阅“{unit.name}”公开栏")
    else:
        services.board_subscribe(
            actor=applicant.audit_label,
            applicant=applicant,
            unit=unit,
            sms=request.POST.get("sms") == "1",
        )
        messages.success(request, f"已订阅“{unit.name}”公开栏，有新信息时会通知您")
    return redirect("openness:board", ref=unit.pk)


@require_safe
def board_picture(request, pk: int, size: str):
    if size not in ("thumb", "full"):
        raise Http404("没有图片")
    notice = selectors.board_notice_public_get(pk)
    field = None if notice is None else (notice.thumbnail if size == "thumb" else notice.picture)
    if not field:
        raise Http404("没有图片")
    return file_response(field.open("rb"), None, None, inline=True)


class BoardPostForm(forms.Form):
    unit = forms.ModelChoiceField(label="发布到", queryset=OrgUnit.objects.none(), empty_label=None)
    five_kind = forms.ChoiceField(
        label="类别",
        choices=[(FiveKind.SERVICE, "服务公开"), (FiveKind.RESULT, "结果公开")],
        initial=FiveKind.SERVICE,
    )
    title = forms.CharField(label="标题", max_length=300)
    text = forms.CharField(label="内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 6}))
    expires_on = forms.DateField(
        label="有效期至", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    directory_entry = forms.ModelChoiceField(
        label="公开目录事项（可选）",
        queryset=DirectoryEntry.objects.none(),
        required=False,
        help_text="选择后按该事项的公开时限提醒",
    )
    picture = forms.FileField(
        label="图片（可拍照）",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"}),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        above = {pk for u in units for pk in (*u.ancestor_ids, u.pk)}
        self.fields["directory_entry"].queryset = (
            DirectoryEntry.objects.filter(
                org_unit_id__in=above, is_active=True, five_kind__in=services.BOARD_FIVE_KINDS
            )
            .select_related("area")
            .order_by("org_unit__path", "sequence", "pk")
        )


def _post_units(user):
    ids = [
        u.pk
        for u in scope_units(user, [Role.DISCLOSURE_OFFICER, Role.GRID_OFFICER]).filter(
            kind__in=services.BOARD_KINDS, is_active=True
        )
        if services.may_post(user, u)
    ]
    return OrgUnit.objects.filter(pk__in=ids).order_by("path")


def board_post(request):
    """The phone form: title, text, one picture, expiry; sent for review on saving."""
    units = _post_units(request.user)
    if not units.exists():
        raise PermissionDenied("只有社区政务公开专员和本网格的网格员可以在公开栏发布信息")
    form = BoardPostForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = services.board_notice_post(
                actor=request.user,
                unit=data["unit"],
                title=data["title"],
                text=data["text"],
                expires_on=data["expires_on"],
                picture=data["picture"],
                five_kind=data["five_kind"],
                directory_entry=data["directory_entry"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, f"“{notice.publication.title}”已提交保密审查，审查通过并发布后上公开栏。"
            )
            return redirect("workbench:openness:board_post")
    pending = list(selectors.board_pending_for([u.pk for u in units])[:20])
    return render(
        request,
        "openness/staff/board_post.html",
        {
            "form": form,
            "pending": pending,
            "is_officer": selectors.is_disclosure_officer(request.user),
            "today": timezone.localdate(),
        },
        status=400 if form.errors else 200,
    )
