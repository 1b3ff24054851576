"""Appointments API for the people who run a centre (system administrators in scope):
window groups, their weekly pattern, publishing slots, closing and reopening a slot or a
day, and the slots with their bookings (masked)."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from sanyi.appointments import selectors, services
from sanyi.appointments.api.serializers import (
    CloseInput,
    CountOutput,
    ManagedSlotOutput,
    ManagedSlotQuery,
    PatternInput,
    PatternOutput,
    PublishInput,
    ReopenInput,
    ScheduleInput,
    ScheduleOutput,
)
from sanyi.orgs.permissions import scope_paths

TAG = "预约"


def _parse(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


class _ManagerView(APIView):
    permission_classes = [IsAuthenticated]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not scope_paths(request.user, selectors.SCHEDULE_ROLES):
            raise PermissionDenied("只有服务中心的系统管理员可以设置预约时间")

    def schedule(self, request, pk: int):
        schedule = selectors.managed_schedule(viewer=request.user, pk=pk)
        if schedule is None:
            raise Http404
        return schedule

    def slot_id(self, schedule, slot: int | None) -> int | None:
        if slot is not None and not schedule.slots.filter(pk=slot).exists():
            raise Http404("这个窗口组没有这个时段")
        return slot


class ScheduleListView(_ManagerView):
    @extend_schema(tags=[TAG], summary="管理：窗口组", responses=ScheduleOutput(many=True))
    def get(self, request):
        rows = selectors.managed_schedules(viewer=request.user)[:200]
        return Response(ScheduleOutput(rows, many=True).data)

    @extend_schema(
        tags=[TAG],
        summary="管理：新建窗口组",
        request=ScheduleInput,
        responses={201: ScheduleOutput},
    )
    def post(self, request):
        data = _parse(ScheduleInput, request.data)
        center = (
            selectors.managed_centers(viewer=request.user).filter(pk=data.pop("center")).first()
        )
        if center is None:
            raise Http404("没有这个服务中心，或不在您的管理范围内")
        schedule = services.schedule_create(actor=request.user, center=center, **data)
        return Response(ScheduleOutput(schedule).data, status=201)


@extend_schema(
    tags=[TAG],
    summary="管理：窗口组的时段和每段的预约",
    parameters=[ManagedSlotQuery],
    responses=ManagedSlotOutput(many=True),
)
class ScheduleSlotsView(_ManagerView):
    def get(self, request, pk: int):
        schedule = self.schedule(request, pk)
        query = _parse(ManagedSlotQuery, request.query_params)
        slots = selectors.schedule_slots(
            viewer=request.user,
            schedule=schedule,
            start=query.get("start") or timezone.localdate(),
            days=query["days"],
        )
        return Response(ManagedSlotOutput(slots, many=True).data)


@extend_schema(
    tags=[TAG], summary="管理：修改每周安排", request=PatternInput, responses=PatternOutput
)
class SchedulePatternView(_ManagerView):
    def post(self, request, pk: int):
        schedule = self.schedule(request, pk)
        data = _parse(PatternInput, request.data)
        schedule, kept = services.schedule_update(
            actor=request.user, schedule_id=schedule.pk, **data
        )
        return Response(
            {
                "schedule": ScheduleOutput(schedule).data,
                "slots_kept_above_capacity": [s.pk for s in kept],
            }
        )


@extend_schema(
    tags=[TAG], summary="管理：按日期范围发布时段", request=PublishInput, responses=CountOutput
)
class SchedulePublishView(_ManagerView):
    def post(self, request, pk: int):
        schedule = self.schedule(request, pk)
        data = _parse(PublishInput, request.data)
        added = services.slots_publish(actor=request.user, schedule_id=schedule.pk, **data)
        return Response({"count": added})


@extend_schema(
    tags=[TAG],
    summary="管理：关闭一个时段或一整天（已预约的群众会收到通知，预约取消）",
    request=CloseInput,
    responses=CountOutput,
)
class ScheduleCloseView(_ManagerView):
    def post(self, request, pk: int):
        schedule = self.schedule(request, pk)
        data = _parse(CloseInput, request.data)
        slot = self.slot_id(schedule, data.get("slot"))
        cancelled = services.slots_close(
            actor=request.user,
            reason=data["reason"],
            slot_id=slot,
            schedule_id=None if slot else schedule.pk,
            day=data.get("day"),
        )
        return Response({"count": cancelled})


@extend_schema(
    tags=[TAG], summary="管理：重新开放时段或一整天", request=ReopenInput, responses=CountOutput
)
class ScheduleReopenView(_ManagerView):
    def post(self, request, pk: int):
        schedule = self.schedule(request, pk)
        data = _parse(ReopenInput, request.data)
        slot = self.slot_id(schedule, data.get("slot"))
        count = services.slots_reopen(
            actor=request.user,
            slot_id=slot,
            schedule_id=None if slot else schedule.pk,
            day=data.get("day"),
        )
        return Response({"count": count})
