"""Staff pages for requests for information (/workbench/open/requests/): the worklist with
clocks, the overdue list, registering written requests, and the detail page with every
action (confirm, correction, consultation, extension, fee, reply, withdrawal, appeals).

Disclosure officers act on requests of the agencies in their scope; supervisors read. A
request outside the viewer's scope does not exist for them (404). Every action is one
service call of ``disclosure_requests.services``, which checks role, status and clock
again and saves all or nothing; its Chinese errors are shown next to the fields.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from sanyi.core.forms import apply_service_errors
from sanyi.core.responses import stored_file_response
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    OPEN_STATUSES,
    AppealResult,
    RequestStatus,
    StopKind,
)
from sanyi.disclosure_requests.clocks import RequestClock, add_workdays_from
from sanyi.disclosure_requests.models import Appeal, InfoRequest
from sanyi.disclosure_requests.selectors import (
    ACT_ROLES,
    READ_ROLES,
    RequestFilters,
    can_act,
    publications_for_reply,
    publications_picked,
    reply_carriers,
    reply_file_get,
    request_clock,
    request_events,
    request_get,
    request_list,
)
from sanyi.disclosure_requests.web import forms as f
from sanyi.notify.services import staff_recipients
from sanyi.orgs.models import Role
from sanyi.orgs.permissions import scope_paths, scope_units

PER_PAGE = 25
NS = "workbench:disclosure_requests"


def _require_reader(request) -> None:
    if not scope_paths(request.user, READ_ROLES):
        raise PermissionDenied("只有政务公开专员和监督人员可以查看政府信息公开申请")


def _can_register(user) -> bool:
    return bool(scope_paths(user, ACT_ROLES))


def _agencies(user, roles):
    return scope_units(user, roles).filter(kind__in=services.AGENCY_KINDS, is_active=True)


def _request_or_404(request, pk: int) -> InfoRequest:
    _require_reader(request)
    info_request = request_get(viewer=request.user, pk=pk)
    if info_request is None:
        raise Http404("申请不存在或不在您的管理范围内")
    return info_request


@dataclass(frozen=True)
class ClockView:
    """The clock as the pages show it (the overdue days as a positive number)."""

    clock: RequestClock

    def __getattr__(self, name):
        return getattr(self.clock, name)

    @property
    def overdue_days(self) -> int:
        return max(0, -self.clock.remaining)


def _clock(info_request: InfoRequest, today: dt.date) -> ClockView:
    return ClockView(request_clock(info_request, today))


@dataclass
class Row:
    item: InfoRequest
    clock: ClockView


def _page(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    try:
        return paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        return paginator.page(1)
    except EmptyPage:
        raise Http404("没有这一页") from None


def _rows(page, today: dt.date) -> list[Row]:
    return [Row(item, _clock(item, today)) for item in page.object_list]


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# --- lists -----------------------------------------------------------------------------------


@require_safe
def worklist(request):
    _require_reader(request)
    today = timezone.localdate()
    agencies = _agencies(request.user, READ_ROLES)
    form = f.WorklistFilterForm(request.GET or None, agencies=agencies)
    filters = RequestFilters(open_only=True)
    year = None
    if form.is_valid():
        data = form.cleaned_data
        status = data["status"]
        due_before = None
        if data["due_within"] is not None:
            due_before = add_workdays_from(today, data["due_within"], roll=False)
        filters = RequestFilters(
            status="" if status in ("", "all") else status,
            open_only=status == "",
            agency_id=data["agency"].pk if data["agency"] else None,
            channel=data["channel"],
            overdue=True if data["clock"] == "overdue" else None,
            due_before=due_before,
        )
        year = data["year"]
    queryset = request_list(viewer=request.user, filters=filters, today=today)
    if year:
        queryset = queryset.filter(received_on__year=year)
    if form.is_valid() and form.cleaned_data["clock"] == "due_soon":
        # "Due soon" is the yellow state of the clock, which depends on the calendar:
        # narrow by date first (at most 20 working days ahead), then by the clock.
        horizon = add_workdays_from(today, 40, roll=False)
        candidates = queryset.filter(
            status__in=(RequestStatus.IN_PROGRESS,), reply_due_on__gte=today
        ).filter(reply_due_on__lte=horizon)
        keep = [r.pk for r in candidates if request_clock(r, today).state == "yellow"]
        queryset = queryset.filter(pk__in=keep)
    page = _page(request, queryset)
    return render(
        request,
        "disclosure_requests/staff/list.html",
        {
            "form": form,
            "page": page,
            "rows": _rows(page, today),
            "query": _query_without_page(request),
            "nav": "all" if request.GET.get("status") == "all" else "list",
            "can_act": _can_register(request.user),
            "title": "政府信息公开申请",
        },
    )


@require_safe
def overdue(request):
    _require_reader(request)
    today = timezone.localdate()
    queryset = request_list(viewer=request.user, filters=RequestFilters(overdue=True), today=today)
    page = _page(request, queryset)
    return render(
        request,
        "disclosure_requests/staff/list.html",
        {
            "form": None,
            "page": page,
            "rows": _rows(page, today),
            "query": "",
            "nav": "overdue",
            "can_act": _can_register(request.user),
            "title": "逾期未答复的申请",
        },
    )


# --- registering a written request -----------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def register(request):
    _require_reader(request)
    if not _can_register(request.user):
        raise PermissionDenied("只有政务公开专员可以登记申请")
    agencies = _agencies(request.user, ACT_ROLES)
    form = f.StaffRegisterForm(request.POST or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submission = services.request_register(
                actor=request.user,
                agency=data["agency"],
                channel=data["channel"],
                received_on=data["received_on"],
                submitted_on=data["submitted_on"],
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
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            info_request = submission.request
            request.session[f"disclosure_requests_code_{info_request.pk}"] = submission.query_code
            messages.success(request, f"已登记申请{info_request.number}")
            return redirect(f"{NS}:detail", pk=info_request.pk)
    return render(
        request,
        "disclosure_requests/staff/register.html",
        {"form": form, "nav": "register", "can_act": True},
        status=400 if form.errors else 200,
    )


# --- detail and actions ----------------------------------------------------------------------


def _approvers(info_request: InfoRequest, user) -> list:
    people = staff_recipients(
        unit=info_request.agency, roles=[Role.DISCLOSURE_OFFICER, Role.APPROVER]
    )
    return [u for u in people if u.pk != user.pk]


@dataclass(frozen=True)
class Action:
    slug: str
    title: str
    form_class: type
    button: str
    statuses: tuple


ACTIONS: dict[str, Action] = {
    a.slug: a
    for a in [
        Action(
            "confirm",
            "确认收到网上申请",
            f.ConfirmForm,
            "确认收到",
            (RequestStatus.AWAITING_CONFIRMATION,),
        ),
        Action(
            "reply",
            "答复",
            f.ReplyForm,
            "作出答复并生成答复书",
            (
                RequestStatus.IN_PROGRESS,
                RequestStatus.CONSULTING,
                RequestStatus.AWAITING_CORRECTION,
                RequestStatus.AWAITING_FEE,
            ),
        ),
        Action(
            "correction-notice",
            "补正通知",
            f.CorrectionNoticeForm,
            "发出补正通知",
            (RequestStatus.IN_PROGRESS,),
        ),
        Action(
            "correction-received",
            "收到补正",
            f.CorrectionReceivedForm,
            "登记收到补正",
            (RequestStatus.AWAITING_CORRECTION,),
        ),
        Action(
            "consultation-start",
            "征求第三方意见",
            f.ConsultationStartForm,
            "开始征求意见",
            (RequestStatus.IN_PROGRESS,),
        ),
        Action(
            "consultation-end",
            "结束征求第三方意见",
            f.ConsultationEndForm,
            "登记第三方意见",
            (RequestStatus.CONSULTING,),
        ),
        Action(
            "agency-consultation-start",
            "征求其他机关意见",
            f.AgencyConsultationStartForm,
            "开始征求意见",
            (RequestStatus.IN_PROGRESS,),
        ),
        Action(
            "agency-consultation-end",
            "收到其他机关意见",
            f.AgencyConsultationEndForm,
            "登记其他机关意见",
            (RequestStatus.CONSULTING,),
        ),
        Action(
            "extend",
            "延长答复期限",
            f.ExtensionForm,
            "延长期限",
            (RequestStatus.IN_PROGRESS, RequestStatus.CONSULTING),
        ),
        Action(
            "fee-notice",
            "收费通知",
            f.FeeNoticeForm,
            "发出收费通知",
            (RequestStatus.IN_PROGRESS,),
        ),
        Action(
            "fee-paid",
            "登记缴费",
            f.FeePaidForm,
            "登记已缴费",
            (RequestStatus.AWAITING_FEE,),
        ),
        Action(
            "withdraw",
            "申请人撤回",
            f.WithdrawForm,
            "登记撤回",
            OPEN_STATUSES,
        ),
        Action(
            "appeal",
            "登记行政复议、行政诉讼",
            f.AppealForm,
            "登记",
            (RequestStatus.REPLIED, RequestStatus.CLOSED, *OPEN_STATUSES),
        ),
    ]
}


def _form_for(action: Action, info_request: InfoRequest, user, data=None, files=None, found=()):
    kwargs: dict = {"prefix": action.slug}
    if action.form_class is f.ExtensionForm:
        kwargs["approvers"] = _approvers(info_request, user)
    if action.form_class is f.ReplyForm:
        kwargs["found"] = found
        kwargs["files"] = files
    return action.form_class(data, **kwargs)


def _run(action: Action, info_request: InfoRequest, user, data: dict):
    """One service call per action; the form's cleaned data are its arguments.

    Long because it is one flat dispatch, one case per action, each naming its arguments."""
    common = {"actor": user, "request": info_request}
    on = data.get("on")
    match action.slug:
        case "confirm":
            return services.request_confirm(**common, on=on)
        case "correction-notice":
            return services.request_correction_notice(
                **common, what=data["what"], due_on=data["due_on"], on=on
            )
        case "correction-received":
            return services.request_correction_received(**common, note=data["note"], on=on)
        case "consultation-start":
            return services.request_consultation_start(
                **common,
                party=data["party"],
                note=data["note"],
                on=on,
                delivery_method=data["delivery_method"],
                delivered_on=data["delivered_on"],
                tracking_number=data["tracking_number"],
            )
        case "consultation-end":
            return services.request_consultation_end(**common, note=data["note"], on=on)
        case "agency-consultation-start":
            return services.request_agency_consultation_start(
                **common, agency=data["agency"], question=data["question"], on=on
            )
        case "agency-consultation-end":
            return services.request_agency_consultation_end(**common, answer=data["answer"], on=on)
        case "extend":
            return services.request_extend(
                **common,
                days=data["days"],
                reason=data["reason"],
                approver=data["approver"],
                on=on,
            )
        case "fee-notice":
            return services.request_fee_notice(
                **common,
                method=data["method"],
                pages=data["pages"] or 0,
                due_on=data["due_on"],
                on=on,
            )
        case "fee-paid":
            return services.request_fee_paid(**common, on=on)
        case "reply":
            return services.request_reply(
                **common,
                outcome=data["outcome"],
                text=data["text"],
                legal_basis=data["legal_basis"],
                referral=data["referral"],
                method=data["method"],
                on_spot=data["on_spot"],
                on=on,
                carriers=services.Carriers(
                    files=data["files"],
                    publications=data["publications"],
                    paper_method=data["paper_method"],
                    paper_on=data["paper_on"],
                    paper_note=data["paper_note"],
                ),
            )
        case "withdraw":
            return services.request_withdraw(**common, reason=data["reason"], on=on)
        case "appeal":
            return services.appeal_record(
                actor=user,
                request=info_request,
                kind=data["kind"],
                filed_on=data["filed_on"],
                authority=data["authority"],
                case_number=data["case_number"],
                note=data["note"],
            )
    raise Http404("没有这个操作")


def _offered(action: Action, info_request: InfoRequest, open_stop: str) -> bool:
    """Whether the detail page offers ``action`` on the request as it stands."""
    if info_request.status not in action.statuses:
        return False
    if action.slug == "correction-notice" and info_request.correction_notice_on:
        return False
    if action.slug == "extend" and info_request.extension_days:
        return False
    if action.slug == "fee-notice" and info_request.fee_method:
        return False
    if action.slug == "consultation-end" and open_stop != StopKind.CONSULTATION:
        return False
    return not (action.slug == "agency-consultation-end" and open_stop != StopKind.AGENCY)


def _action_forms(request, info_request: InfoRequest, bound, found) -> list:
    open_stop = next((s.kind for s in info_request.stops.all() if s.ended_on is None), "")
    forms = []
    for action in ACTIONS.values():
        if not _offered(action, info_request, open_stop):
            continue
        if bound is not None and bound[0] == action.slug:
            form = bound[1]
        else:
            form = _form_for(action, info_request, request.user, found=found)
        forms.append((action, form))
    return forms


def _detail_page(request, info_request: InfoRequest, *, bound=None, status=200):
    """Long because it gathers every part of the page: state, carriers, forms, appeals."""
    today = timezone.localdate()
    acting = can_act(request.user, info_request)
    search = f.PublicationSearchForm(request.GET or None)
    query = search.cleaned_data["pub_q"] if search.is_valid() else ""
    found = publications_for_reply(query=query)
    forms = _action_forms(request, info_request, bound, found) if acting else []
    appeals = list(info_request.appeals.order_by("filed_on", "pk"))
    appeal_forms = []
    for appeal in appeals:
        if acting and appeal.result == AppealResult.PENDING:
            if bound is not None and bound[0] == f"appeal-{appeal.pk}":
                form = bound[1]
            else:
                form = f.AppealResultForm(prefix=f"appeal-{appeal.pk}")
            appeal_forms.append((appeal, form))
        else:
            appeal_forms.append((appeal, None))
    code = request.session.pop(f"disclosure_requests_code_{info_request.pk}", "")
    return render(
        request,
        "disclosure_requests/staff/detail.html",
        {
            "r": info_request,
            "clock": _clock(info_request, today),
            "events": list(request_events(info_request)),
            "stops": list(info_request.stops.all()),
            "notices": list(info_request.notices.order_by("issued_on", "pk")),
            "consultation": StopKind.CONSULTATION,
            "carriers": reply_carriers(info_request),
            "search": search,
            "search_query": query,
            "found": found,
            "forms": forms,
            "appeals": appeal_forms,
            "can_act": acting,
            "new_code": code,
            "nav": "",
        },
        status=status,
    )


@require_safe
def detail(request, pk: int):
    return _detail_page(request, _request_or_404(request, pk))


@require_POST
def act(request, pk: int, action: str):
    info_request = _request_or_404(request, pk)
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404("没有这个操作")
    if not can_act(request.user, info_request):
        raise PermissionDenied("您可以查看这件申请，但不能办理")
    picked = request.POST.getlist(f"{spec.slug}-publications")
    found = publications_picked(picked) if spec.form_class is f.ReplyForm else ()
    form = _form_for(spec, info_request, request.user, request.POST, request.FILES, found)
    if form.is_valid():
        try:
            _run(spec, info_request, request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"已{spec.button}")
            return redirect(f"{NS}:detail", pk=info_request.pk)
    return _detail_page(request, info_request, bound=(spec.slug, form), status=400)


@require_POST
def appeal_conclude(request, pk: int, appeal_id: int):
    info_request = _request_or_404(request, pk)
    if not can_act(request.user, info_request):
        raise PermissionDenied("您可以查看这件申请，但不能办理")
    appeal = Appeal.objects.filter(request=info_request, pk=appeal_id).first()
    if appeal is None:
        raise Http404("没有这条复议或诉讼记录")
    prefix = f"appeal-{appeal.pk}"
    form = f.AppealResultForm(request.POST, prefix=prefix)
    if form.is_valid():
        try:
            services.appeal_conclude(
                actor=request.user,
                appeal=appeal,
                result=form.cleaned_data["result"],
                concluded_on=form.cleaned_data["concluded_on"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "已登记审结结果")
            return redirect(f"{NS}:detail", pk=info_request.pk)
    return _detail_page(request, info_request, bound=(prefix, form), status=400)


def pdf_response(file, filename: str) -> FileResponse:
    return stored_file_response(file, filename, "application/pdf")


@require_safe
def letter(request, pk: int):
    info_request = _request_or_404(request, pk)
    if not info_request.reply_letter:
        raise Http404("这件申请还没有答复书")
    return pdf_response(info_request.reply_letter, f"答复书-{info_request.number}.pdf")


@require_safe
def notice(request, pk: int, notice_id: int):
    info_request = _request_or_404(request, pk)
    item = info_request.notices.filter(pk=notice_id).first()
    if item is None:
        raise Http404("没有这份告知书")
    return pdf_response(item.file, f"{item.get_kind_display()}-{info_request.number}.pdf")


@require_safe
def reply_file(request, pk: int, file_id: int):
    """A file the reply carries, for staff in scope; the download is audited."""
    info_request = _request_or_404(request, pk)
    item = reply_file_get(info_request, file_id)
    if item is None:
        raise Http404("没有这个文件")
    services.request_file_download(actor=request.user, item=item)
    return stored_file_response(item.file, item.name, item.content_type)
