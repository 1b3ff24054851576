"""Public pages for booking by mobile number without signing in: the booking form (ask
for an SMS code, then book), finding a booking by its code and the mobile's last four
digits, and moving or cancelling it, each with a fresh SMS code sent to the booking's
mobile. Plain forms: they work without JavaScript."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from sanyi.applicants.services.signin import RateLimited
from sanyi.appointments import selectors, services
from sanyi.appointments.web.forms import FindForm, PhoneBookForm, PhoneMoveForm, SmsCodeForm
from sanyi.core.forms import apply_service_errors
from sanyi.core.ids import mask_phone
from sanyi.core.ratelimit import rate_limited
from sanyi.core.request_context import client_ip_of

SESSION_KEY = "appointments_phone_booking"


def _send_code(request, form: PhoneBookForm) -> None:
    """Ask for a code; of the form's errors only the mobile's are shown (the rest of the
    form is filled in after the code arrives)."""
    form.is_valid()
    for field in list(form.errors):
        del form.errors[field]
    try:
        mobile = services.clean_mobile(form.data.get("phone", ""))
        services.phone_code_request(phone=mobile, ip=client_ip_of(request))
    except ValidationError as exc:
        apply_service_errors(form, exc)
    except RateLimited as limited:
        form.add_error("phone", limited.message)
    else:
        messages.success(request, f"验证码已发送到{mask_phone(mobile)}，5分钟内有效。")


@rate_limited("appointments_book", default="20/10")
def book(request, pk: int):
    """GET: the form; POST with ``action=send``: an SMS code; POST: the booking."""
    center = selectors.center_get(pk)
    if center is None:
        raise Http404
    slots = list(selectors.open_slots(center=center))
    items = selectors.items_at(center)
    form = PhoneBookForm(request.POST or None, items=items, slots=slots)
    if request.method == "POST" and request.POST.get("action") == "send":
        _send_code(request, form)
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = services.phone_booking_create(
                name=data["name"],
                phone=data["phone"],
                code=data["code"],
                slot_id=data["slot"],
                item={i.pk: i for i, _ in items}[data["item"]],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"booking": "slot"})
        else:
            request.session[SESSION_KEY] = {"code": booking.code, "last4": booking.phone[-4:]}
            messages.success(request, "预约成功，预约码也已用短信发给您。")
            return redirect("appointments:phone_booking", code=booking.code)
    has_errors = request.method == "POST" and bool(form.errors)  # (form is bound then)
    return render(
        request,
        "appointments/phone_book.html",
        {"center": center, "form": form},
        status=400 if has_errors else 200,
    )


@rate_limited("appointments_find", default="10/10")
def find(request):
    """Find a phone booking by its code and the mobile's last four digits."""
    form = FindForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            booking = services.phone_booking_find(**form.cleaned_data)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            request.session[SESSION_KEY] = {"code": booking.code, **form.cleaned_data}
            return redirect("appointments:phone_booking", code=booking.code)
    return render(
        request, "appointments/phone_find.html", {"form": form}, status=400 if form.errors else 200
    )


def _found(request, code: str):
    """The booking this browser has proven (code and last four digits), else None."""
    proof = request.session.get(SESSION_KEY) or {}
    if proof.get("code") != code:
        return None, {}
    try:
        return services.phone_booking_find(code=code, last4=proof["last4"]), proof
    except PermissionDenied:
        return None, {}


def _page(request, booking, form=None, status: int = 200, cancel_form=None):
    slots = []
    if booking.is_live:
        slots = [
            s for s in selectors.open_slots(center=booking.slot.center) if s.pk != booking.slot_id
        ][:40]
    return render(
        request,
        "appointments/booking.html",
        {
            "booking": booking,
            "move_form": form or PhoneMoveForm(slots=slots),
            "cancel_form": cancel_form or SmsCodeForm(prefix="cancel"),
            "phone": True,
            "masked_phone": mask_phone(booking.phone),
        },
        status=status,
    )


def booking(request, code: str):
    found, _ = _found(request, code)
    if found is None:
        return redirect("appointments:phone_find")
    return _page(request, found)


@require_POST
@rate_limited("appointments_book", default="20/10")
def send_code(request, code: str):
    """Send a fresh SMS code to the booking's mobile, for moving or cancelling it."""
    found, proof = _found(request, code)
    if found is None:
        return redirect("appointments:phone_find")
    try:
        services.phone_change_code_request(
            code=code, last4=proof["last4"], ip=client_ip_of(request)
        )
    except RateLimited as limited:
        messages.error(request, limited.message)
    else:
        messages.success(request, f"验证码已发送到{mask_phone(found.phone)}，5分钟内有效。")
    return redirect("appointments:phone_booking", code=code)


@require_POST
@rate_limited("appointments_book", default="20/10")
def move(request, code: str):
    found, proof = _found(request, code)
    if found is None:
        return redirect("appointments:phone_find")
    slots = [s for s in selectors.open_slots(center=found.slot.center) if s.pk != found.slot_id]
    form = PhoneMoveForm(request.POST, slots=slots[:40])
    if form.is_valid():
        try:
            services.phone_booking_change(
                code=code,
                last4=proof["last4"],
                sms_code=form.cleaned_data["sms_code"],
                slot_id=form.cleaned_data["slot"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"booking": "slot", "code": "sms_code"})
        else:
            messages.success(request, "已改约，预约码不变。")
            return redirect("appointments:phone_booking", code=code)
    return _page(request, found, form, status=400)


@require_POST
@rate_limited("appointments_book", default="20/10")
def cancel(request, code: str):
    found, proof = _found(request, code)
    if found is None:
        return redirect("appointments:phone_find")
    form = SmsCodeForm(request.POST, prefix="cancel")
    if form.is_valid():
        try:
            services.phone_booking_change(
                code=code, last4=proof["last4"], sms_code=form.cleaned_data["sms_code"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, fields={"code": "sms_code"})
        else:
            messages.success(request, "预约已取消。")
            return redirect("appointments:phone_booking", code=code)
    return _page(request, found, cancel_form=form, status=400)
