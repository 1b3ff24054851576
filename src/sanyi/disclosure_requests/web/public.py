"""Public pages for requests for information under /open/requests/: what can be asked and
how, the online request form, and tracking by number and query code (or after sign-in).

Every write goes through ``disclosure_requests.services``; who may see a request is decided
by ``selectors.request_track`` (number + code) or by the signed-in applicant owning it.
A tracked request is remembered in the session, so the status page, the correction form
and the letter download need the code once, not on every click.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanyi.applicants.auth import current_applicant
from sanyi.core.forms import apply_service_errors
from sanyi.core.ratelimit import hit
from sanyi.core.responses import stored_file_response
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import EventKind, RequestStatus, StopKind, outcome_group
from sanyi.disclosure_requests.choices import OutcomeGroup as Group
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.selectors import (
    reply_carriers,
    reply_file_get,
    request_track,
    requests_of_applicant,
)
from sanyi.disclosure_requests.web.forms import (
    ApplicantCorrectionForm,
    RequestForm,
    TrackForm,
    new_idempotency_key,
)
from sanyi.disclosure_requests.web.staff import pdf_response

TRACKED_KEY = "disclosure_requests_tracked"
SHOWN_CODE_KEY = "disclosure_requests_new"
TRACKED_MAX = 20
APPLICANT_FIELDS = (
    "kind",
    "organisation_category",
    "name",
    "id_number",
    "phone",
    "email",
    "address",
    "postal_code",
)
CONTENT_FIELDS = ("agency", "description", "purpose", "delivery_form")
# What the public sees of the ledger (internal steps such as warnings stay inside).
PUBLIC_EVENTS = {
    EventKind.SUBMITTED,
    EventKind.REGISTERED,
    EventKind.CONFIRMED,
    EventKind.CORRECTION_NOTICE,
    EventKind.CORRECTION_RECEIVED,
    EventKind.CORRECTION_LAPSED,
    EventKind.CONSULTATION_STARTED,
    EventKind.CONSULTATION_ENDED,
    EventKind.AGENCY_CONSULT_STARTED,
    EventKind.AGENCY_CONSULT_ENDED,
    EventKind.EXTENDED,
    EventKind.FEE_NOTICE,
    EventKind.FEE_PAID,
    EventKind.FEE_LAPSED,
    EventKind.REPLIED,
    EventKind.WITHDRAWN,
}
NEXT_STEP = {
    RequestStatus.AWAITING_CONFIRMATION: (
        "等待受理机关确认收到。确认之日为收到申请之日，答复期限从这一天起算。"
    ),
    RequestStatus.IN_PROGRESS: "受理机关正在办理，会在答复期限前答复您。",
    RequestStatus.AWAITING_CORRECTION: "请按下面的补正通知补正申请，补正后重新计算答复期限。",
    RequestStatus.CONSULTING: (
        "您申请的信息涉及第三方权益，受理机关正在征求第三方意见，这段时间不计算在答复期限内。"
    ),
    RequestStatus.AWAITING_FEE: (
        "受理机关已通知您缴纳信息处理费，缴费前的时间不计算在答复期限内。"
    ),
}


# --- rate limits ---------------------------------------------------------------------------


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _within_limit(request, bucket: str, *, limit: int, window_minutes: int) -> bool:
    """Count one attempt from the request's address (the platform's limiter)."""
    return hit(request, f"disclosure-requests-{bucket}", limit=limit, window_minutes=window_minutes)


def _too_many(request, what: str):
    return render(
        request,
        "portal/error.html",
        {
            "status": 429,
            "title": "操作太频繁",
            "message": f"{what}次数太多，请过一会儿再试。急需帮助的请拨打12345政务服务便民热线。",
        },
        status=429,
    )


# --- helpers -------------------------------------------------------------------------------


def _my_requests_url() -> str:
    try:
        return reverse("disclosure_requests:mine")
    except NoReverseMatch:
        return ""


def _remember(request, info_request: InfoRequest) -> None:
    tracked = [pk for pk in request.session.get(TRACKED_KEY, []) if pk != info_request.pk]
    request.session[TRACKED_KEY] = [info_request.pk, *tracked][:TRACKED_MAX]


def _viewable(request, number: str) -> InfoRequest:
    """The request with this number if this visitor tracked it (code entered in this
    session) or owns it (signed-in applicant); else 404, whether or not it exists."""
    info_request = (
        InfoRequest.objects.select_related("agency", "applicant").filter(number=number).first()
    )
    if info_request is not None:
        if info_request.pk in request.session.get(TRACKED_KEY, []):
            return info_request
        applicant = current_applicant(request)
        if applicant is not None and info_request.applicant_id == applicant.pk:
            return info_request
    raise Http404("没有找到这件申请，请先输入申请编号和查询码")


# --- pages ---------------------------------------------------------------------------------


@require_safe
def index(request):
    return render(
        request,
        "disclosure_requests/public/index.html",
        {"my_requests_url": _my_requests_url() if current_applicant(request) else ""},
    )


def _initial_from(applicant) -> dict:
    if applicant is None:
        return {}
    return {
        "kind": applicant.kind,
        "organisation_category": applicant.organisation_category,
        "name": applicant.name,
        "id_number": applicant.id_number,
        "phone": applicant.phone,
        "email": applicant.email,
        "address": applicant.address,
        "postal_code": applicant.postal_code,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def new(request):
    applicant = current_applicant(request)
    if request.method == "POST":
        form = RequestForm(request.POST)
        if form.is_valid():
            if not _within_limit(
                request,
                "submit",
                limit=_limit("SANYI_REQUEST_SUBMIT_LIMIT", 10),
                window_minutes=_limit("SANYI_REQUEST_SUBMIT_WINDOW_MINUTES", 60),
            ):
                return _too_many(request, "提交申请")
            data = form.cleaned_data
            try:
                submission = services.request_submit_online(
                    agency=data["agency"],
                    id_number=data["id_number"],
                    name=data["name"],
                    organisation_category=data["organisation_category"],
                    phone=data["phone"],
                    email=data["email"],
                    address=data["address"],
                    postal_code=data["postal_code"],
                    description=data["description"],
                    purpose=data["purpose"],
                    delivery_form=data["delivery_form"],
                    idempotency_key=data["idempotency_key"],
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                info_request = submission.request
                _remember(request, info_request)
                # The code is shown on the next page only: the session carries it across
                # the redirect and the page removes it when shown. A retry of the same form
                # (same hidden token) gets the same request and the same code back.
                request.session[SHOWN_CODE_KEY] = {
                    "pk": info_request.pk,
                    "code": submission.query_code,
                    "created": submission.created,
                }
                return redirect("disclosure_requests:submitted", number=info_request.number)
    else:
        form = RequestForm(
            initial={**_initial_from(applicant), "idempotency_key": new_idempotency_key()}
        )
    return render(
        request,
        "disclosure_requests/public/new.html",
        {
            "form": form,
            "applicant": applicant,
            "applicant_fields": [form[name] for name in APPLICANT_FIELDS],
            "content_fields": [form[name] for name in CONTENT_FIELDS],
        },
    )


@never_cache
@require_safe
def submitted(request, number: str):
    info_request = _viewable(request, number)
    shown = request.session.get(SHOWN_CODE_KEY) or {}
    code, created = "", True
    if shown.get("pk") == info_request.pk:
        code, created = shown.get("code", ""), shown.get("created", True)
        del request.session[SHOWN_CODE_KEY]
    return render(
        request,
        "disclosure_requests/public/submitted.html",
        {"info_request": info_request, "code": code, "created": created},
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def track(request):
    error = ""
    if request.method == "POST":
        form = TrackForm(request.POST)
        if form.is_valid():
            if not _within_limit(
                request,
                "track",
                limit=_limit("SANYI_REQUEST_TRACK_LIMIT", 20),
                window_minutes=_limit("SANYI_REQUEST_TRACK_WINDOW_MINUTES", 15),
            ):
                return _too_many(request, "查询")
            info_request = request_track(
                number=form.cleaned_data["number"], code=form.cleaned_data["code"]
            )
            if info_request is not None:
                _remember(request, info_request)
                return redirect("disclosure_requests:status", number=info_request.number)
            # One message whether the number exists or the code is wrong.
            error = "申请编号或查询码不正确，请核对后再试"
    else:
        form = TrackForm()
    return render(
        request,
        "disclosure_requests/public/track.html",
        {
            "form": form,
            "error": error,
            "my_requests_url": _my_requests_url() if current_applicant(request) else "",
        },
        status=400 if error else 200,
    )


def _correction_open(info_request: InfoRequest) -> bool:
    return (
        info_request.status == RequestStatus.AWAITING_CORRECTION
        and info_request.correction_due_on is not None
        and timezone.localdate() <= info_request.correction_due_on
    )


def _status_page(request, info_request: InfoRequest, *, correction_form=None, status=200):
    events = [
        e
        for e in info_request.events.order_by("on", "pk")
        if e.kind in PUBLIC_EVENTS  # a handful of rows per request
    ]
    if correction_form is None and _correction_open(info_request):
        correction_form = ApplicantCorrectionForm()
    group = ""
    if info_request.outcome:
        code = outcome_group(info_request.outcome)
        group = {Group.DISCLOSE: "予以公开", Group.PARTIAL: "部分公开"}.get(
            code, Group(code).label.split("）", 1)[-1]
        )
    return render(
        request,
        "disclosure_requests/public/status.html",
        {
            "info_request": info_request,
            "public_events": events,
            "notices": list(info_request.notices.order_by("issued_on", "pk")),
            "carriers": reply_carriers(info_request),
            "consultations": [s for s in info_request.stops.all() if s.kind != StopKind.FEE],
            "next_step": NEXT_STEP.get(info_request.status, ""),
            "outcome_group": group,
            "correction_form": correction_form if _correction_open(info_request) else None,
            "correction_url": reverse(
                "disclosure_requests:correction", kwargs={"number": info_request.number}
            ),
            "letter_url": reverse(
                "disclosure_requests:letter", kwargs={"number": info_request.number}
            ),
        },
        status=status,
    )


@never_cache
@require_safe
def status(request, number: str):
    return _status_page(request, _viewable(request, number))


@never_cache
@require_POST
def correction(request, number: str):
    """The applicant sends the corrected application online (Art. 30): it arrives today,
    and the reply clock starts again from today."""
    info_request = _viewable(request, number)
    if not _correction_open(info_request):
        messages.error(request, "这件申请现在不需要补正，或者补正期限已过")
        return redirect("disclosure_requests:status", number=number)
    form = ApplicantCorrectionForm(request.POST)
    if form.is_valid():
        try:
            services.request_correction_received(
                actor=info_request.applicant.audit_label,
                request=info_request,
                note=f"申请人网上补正：{form.cleaned_data['text']}",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "补正已提交，答复期限从今天起重新计算")
            return redirect("disclosure_requests:status", number=number)
    return _status_page(request, info_request, correction_form=form, status=400)


@never_cache
@require_safe
def letter(request, number: str):
    info_request = _viewable(request, number)
    if not info_request.reply_letter:
        raise Http404("这件申请还没有答复书")
    return pdf_response(info_request.reply_letter, f"答复书-{info_request.number}.pdf")


@never_cache
@require_safe
def reply_file(request, number: str, file_id: int):
    """A file the reply carries, for the applicant who made the request (tracked in this
    session or signed in); anyone else gets 404. The download is audited."""
    info_request = _viewable(request, number)
    item = reply_file_get(info_request, file_id)
    if item is None:
        raise Http404("没有这个文件")
    services.request_file_download(actor=info_request.applicant.audit_label, item=item)
    return stored_file_response(item.file, item.name, item.content_type)


@never_cache
@require_safe
def notice(request, number: str, notice_id: int):
    info_request = _viewable(request, number)
    item = info_request.notices.filter(pk=notice_id).first()
    if item is None:
        raise Http404("没有这份告知书")
    return pdf_response(item.file, f"{item.get_kind_display()}-{info_request.number}.pdf")


@never_cache
@require_safe
def mine(request):
    """The signed-in applicant's own requests (我的政府信息公开申请)."""
    applicant = current_applicant(request)
    if applicant is None:
        try:
            login = reverse("applicants:login")
        except NoReverseMatch:
            return redirect("disclosure_requests:track")
        return redirect(f"{login}?next={reverse('disclosure_requests:mine')}")
    return render(
        request,
        "disclosure_requests/public/mine.html",
        {"applicant": applicant, "requests": list(requests_of_applicant(applicant))},
    )
