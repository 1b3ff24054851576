"""Appointments API: open slots (public), the resident's own bookings (signed in as an
applicant, same checks as the pages) and the counter (window clerks in scope)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied, Throttled
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.applicants.api.session import ApplicantSessionView
from sanyi.applicants.services.signin import RateLimited
from sanyi.appointments import selectors, services
from sanyi.appointments.api import serializers as s
from sanyi.catalog.models import ImplementationItem
from sanyi.core.request_context import client_ip_of
from sanyi.core.throttles import PublicFormThrottle

TAG = "预约"


def _parse(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


class _ApplicantView(ApplicantSessionView):
    """Signed in as an applicant (the /my/ session); writes must carry the CSRF token and
    are throttled like every public form."""

    def own(self, request, code: str):
        booking = selectors.booking_of(viewer=self.applicant(request), code=code)
        if booking is None:
            raise Http404
        return booking

    def answer(self, booking, status: int = 200) -> Response:
        booking = selectors.booking_of(viewer=booking.applicant, code=booking.code)
        return Response(s.BookingOutput(booking).data, status=status)


@extend_schema(
    tags=[TAG],
    summary="服务中心可预约的时段",
    parameters=[s.SlotQuery],
    responses=s.SlotOutput(many=True),
)
class SlotListView(APIView):
    permission_classes = [AllowAny]

    def get(self, request, pk: int):
        center = selectors.center_get(pk)
        if center is None:
            raise Http404
        query = _parse(s.SlotQuery, request.query_params)
        slots = selectors.open_slots(center=center, day=query.get("day"))[:500]
        return Response(s.SlotOutput(slots, many=True).data)


class BookingListView(_ApplicantView):
    @extend_schema(tags=[TAG], summary="我的预约", responses=s.BookingOutput(many=True))
    def get(self, request):
        rows = selectors.bookings_of(viewer=self.applicant(request))[:100]
        return Response(s.BookingOutput(rows, many=True).data)

    @extend_schema(
        tags=[TAG], summary="预约一个时段", request=s.BookingInput, responses={201: s.BookingOutput}
    )
    def post(self, request):
        applicant = self.applicant(request)
        data = _parse(s.BookingInput, request.data)
        item = (
            ImplementationItem.objects.filter(implementation_code=data["implementation_code"])
            .select_related("implementing_unit", "base_item")
            .first()
        )
        if item is None:
            raise Http404
        booking = services.booking_create(
            actor=applicant.audit_label, applicant=applicant, slot_id=data["slot"], item=item
        )
        return self.answer(booking, status=201)


class BookingDetailView(_ApplicantView):
    @extend_schema(tags=[TAG], summary="我的一个预约", responses=s.BookingOutput)
    def get(self, request, code: str):
        return Response(s.BookingOutput(self.own(request, code)).data)


class BookingMoveView(_ApplicantView):
    @extend_schema(
        tags=[TAG], summary="改约到另一个时段", request=s.MoveInput, responses=s.BookingOutput
    )
    def post(self, request, code: str):
        booking = self.own(request, code)
        data = _parse(s.MoveInput, request.data)
        services.booking_move(
            actor=booking.applicant.audit_label,
            applicant=booking.applicant,
            booking_id=booking.pk,
            slot_id=data["slot"],
        )
        return self.answer(booking)


class BookingCancelView(_ApplicantView):
    @extend_schema(tags=[TAG], summary="取消预约", request=None, responses=s.BookingOutput)
    def post(self, request, code: str):
        booking = self.own(request, code)
        services.booking_cancel(
            actor=booking.applicant.audit_label,
            applicant=booking.applicant,
            booking_id=booking.pk,
        )
        return self.answer(booking)


def _require_clerk(user) -> None:
    from sanyi.orgs.permissions import scope_paths

    if not scope_paths(user, selectors.COUNTER_ROLES):
        raise PermissionDenied("只有窗口人员可以查看预约签到")


@extend_schema(
    tags=[TAG],
    summary="窗口：当天的预约",
    parameters=[s.CounterQuery],
    responses=s.CounterBookingOutput(many=True),
)
class CounterListView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        _require_clerk(request.user)
        query = _parse(s.CounterQuery, request.query_params)
        centers = list(selectors.counter_centers(viewer=request.user))
        if query.get("center"):
            centers = [c for c in centers if c.pk == query["center"]]
        if not centers:
            return Response([])
        rows = selectors.counter_bookings(
            viewer=request.user, center=centers[0], day=query.get("day") or timezone.localdate()
        )
        return Response(s.CounterBookingOutput(rows, many=True).data)


@extend_schema(tags=[TAG], summary="窗口：签到", request=None, responses=s.CounterBookingOutput)
class CheckInView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, pk: int):
        _require_clerk(request.user)
        booking = selectors.counter_booking(viewer=request.user, pk=pk)
        if booking is None:
            raise Http404
        services.booking_check_in(actor=request.user, booking_id=booking.pk)
        booking = selectors.counter_booking(viewer=request.user, pk=pk)
        return Response(s.CounterBookingOutput(booking).data)


class _PhoneView(APIView):
    """Booking by mobile without signing in: no session, every call throttled per address;
    the SMS codes keep their own limits per mobile and address (core.ratelimit). Bookings
    are named only by their code together with the full mobile, and a mismatch of either
    is one and the same 404, so nothing can be listed or probed."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [PublicFormThrottle]

    def item(self, code: str) -> ImplementationItem:
        item = (
            ImplementationItem.objects.filter(implementation_code=code)
            .select_related("implementing_unit", "base_item")
            .first()
        )
        if item is None:
            raise Http404("没有这个事项")
        return item

    def answer(self, booking, status: int = 200) -> Response:
        fresh = services.phone_booking_lookup(code=booking.code, phone=booking.phone)
        return Response(s.BookingOutput(fresh).data, status=status)


def _not_found(call, **kwargs):
    try:
        return call(**kwargs)
    except DjangoPermissionDenied as exc:
        raise Http404(str(exc)) from exc


@extend_schema(
    tags=[TAG],
    summary="凭手机号预约：获取短信验证码",
    description="预约、改约、取消前都要先获取；同一号码60秒内只发一次，每小时有上限。",
    request=s.PhoneCodeInput,
    responses={202: s.PhoneCodeOutput},
)
class PhoneCodeView(_PhoneView):
    def post(self, request):
        data = _parse(s.PhoneCodeInput, request.data)
        try:
            services.phone_code_request(phone=data["phone"], ip=client_ip_of(request._request))
        except RateLimited as limited:
            raise Throttled(wait=limited.wait.total_seconds(), detail=limited.message) from limited
        return Response({"detail": "验证码已发送，5分钟内有效"}, status=202)


@extend_schema(
    tags=[TAG],
    summary="凭手机号预约一个时段",
    request=s.PhoneBookingInput,
    responses={201: s.BookingOutput},
)
class PhoneBookingCreateView(_PhoneView):
    def post(self, request):
        data = _parse(s.PhoneBookingInput, request.data)
        booking = services.phone_booking_create(
            name=data["name"],
            phone=data["phone"],
            code=data["sms_code"],
            slot_id=data["slot"],
            item=self.item(data["implementation_code"]),
        )
        return self.answer(booking, status=201)


@extend_schema(
    tags=[TAG],
    summary="凭预约码和手机号查看预约",
    request=s.PhoneLookupInput,
    responses=s.BookingOutput,
)
class PhoneBookingLookupView(_PhoneView):
    def post(self, request):
        data = _parse(s.PhoneLookupInput, request.data)
        booking = _not_found(services.phone_booking_lookup, code=data["code"], phone=data["phone"])
        return Response(s.BookingOutput(booking).data)


@extend_schema(
    tags=[TAG],
    summary="凭手机号改约（需新的短信验证码）",
    request=s.PhoneMoveInput,
    responses=s.BookingOutput,
)
class PhoneBookingMoveView(_PhoneView):
    def post(self, request):
        data = _parse(s.PhoneMoveInput, request.data)
        booking = _not_found(
            services.phone_booking_change,
            code=data["code"],
            phone=data["phone"],
            sms_code=data["sms_code"],
            slot_id=data["slot"],
        )
        return self.answer(booking)


@extend_schema(
    tags=[TAG],
    summary="凭手机号取消预约（需新的短信验证码）",
    request=s.PhoneChangeInput,
    responses=s.BookingOutput,
)
class PhoneBookingCancelView(_PhoneView):
    def post(self, request):
        data = _parse(s.PhoneChangeInput, request.data)
        booking = _not_found(
            services.phone_booking_change,
            code=data["code"],
            phone=data["phone"],
            sms_code=data["sms_code"],
        )
        return self.answer(booking)
