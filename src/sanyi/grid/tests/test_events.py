"""Event reports: filing (scope, bad input in Chinese, photos cleaned), the community's
actions, routing (the clock restarts at the receiving unit), and who sees what."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.calendar.selectors import add_workdays
from sanyi.grid import selectors, services
from sanyi.grid.models import EVENT_DAYS_PER_LEVEL, EventReport, EventStatus
from sanyi.grid.tests.factories import event_report, jpeg_with_gps, visit_case
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db


def test_report_goes_to_the_grid_community_with_a_clock(gw):
    event = event_report(gw)
    assert event.unit == gw["comm1"] and event.status == EventStatus.REPORTED
    today = timezone.localdate()
    assert event.arrived_on == today
    assert event.due_on == add_workdays(today, EVENT_DAYS_PER_LEVEL).date
    assert list(event.steps.values_list("action", flat=True)) == ["report"]
    assert AuditEvent.objects.filter(action="grid.event_report").count() == 1


def test_report_photo_is_stripped_of_location(gw):
    from PIL import Image

    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    event = event_report(gw, photos=[photo])
    stored = event.photos.get()
    with stored.image.open("rb") as fh:
        assert not Image.open(io.BytesIO(fh.read())).getexif().get_ifd(0x8825)


def test_bad_input_is_refused_in_chinese_and_nothing_saved(gw):
    with pytest.raises(ValidationError) as exc:
        event_report(gw, title=" ", place="", category="nonsense")
    errors = exc.value.message_dict
    assert errors["title"] == ["请填写标题"]
    assert errors["place"] == ["请填写地点"]
    assert errors["category"] == ["请选择事件类别"]
    assert not EventReport.objects.exists()


def test_too_many_photos_refused(gw):
    photos = [SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps()) for i in range(4)]
    with pytest.raises(ValidationError, match="最多上传3张照片"):
        event_report(gw, photos=photos)


def test_officer_may_not_report_for_another_grid(gw):
    with pytest.raises(ValidationError) as exc:
        event_report(gw, grid=gw["grid_b"])
    assert "grid" in exc.value.message_dict


def test_resident_must_live_in_the_officer_grid(gw):
    other = visit_case(gw, "文一路2号").applicant  # grid B
    other.grid = gw["grid_b"]
    other.save()
    with pytest.raises(ValidationError) as exc:
        event_report(gw, applicant=other)
    assert exc.value.message_dict["applicant"] == ["涉及居民须是您所在网格的居民"]


def test_only_officers_report(gw):
    with pytest.raises(PermissionDenied):
        event_report(gw, actor=gw["comm_clerk"])


def test_route_moves_the_event_and_restarts_the_clock(gw):
    event = event_report(gw)
    EventReport.objects.filter(pk=event.pk).update(
        arrived_on=event.arrived_on.replace(day=1), due_on=event.arrived_on.replace(day=1)
    )
    event = services.event_route(
        event=event, actor=gw["comm_clerk"], to_unit=gw["sub1"], note="需街道协调"
    )
    today = timezone.localdate()
    assert event.unit == gw["sub1"] and event.status == EventStatus.ROUTED
    assert event.arrived_on == today
    assert event.due_on == add_workdays(today, EVENT_DAYS_PER_LEVEL).date
    step = event.steps.get(action="route")
    assert step.unit == gw["comm1"] and step.to_unit == gw["sub1"]


def test_route_target_must_be_above_or_a_department(gw):
    event = event_report(gw)
    with pytest.raises(ValidationError) as exc:
        services.event_route(event=event, actor=gw["comm_clerk"], to_unit=gw["grid_b"], note="x")
    assert "to_unit" in exc.value.message_dict
    services.event_route(event=event, actor=gw["comm_clerk"], to_unit=gw["dept"], note="交部门")


def test_route_needs_a_note(gw):
    event = event_report(gw)
    with pytest.raises(ValidationError) as exc:
        services.event_route(event=event, actor=gw["comm_clerk"], to_unit=gw["sub1"])
    assert exc.value.message_dict["note"] == ["请填写转派说明"]


def test_after_routing_the_community_may_no_longer_act(gw):
    event = services.event_route(
        event=event_report(gw), actor=gw["comm_clerk"], to_unit=gw["sub1"], note="上交"
    )
    with pytest.raises(PermissionDenied):
        services.event_accept(event=event, actor=gw["comm_clerk"])
    sub_staff = org_f.staff(gw["sub1"], Role.APPROVER)
    services.event_accept(event=event, actor=sub_staff)
    event = services.event_close(event=event, actor=sub_staff, result="已修复")
    assert event.status == EventStatus.CLOSED and event.closed_at is not None


def test_closed_event_cannot_be_acted_on(gw):
    event = services.event_close(event=event_report(gw), actor=gw["comm_clerk"], result="已处理")
    with pytest.raises(ValidationError, match="已办结"):
        services.event_accept(event=event, actor=gw["comm_clerk"])


def test_close_needs_a_result(gw):
    with pytest.raises(ValidationError) as exc:
        services.event_close(event=event_report(gw), actor=gw["comm_clerk"], result=" ")
    assert exc.value.message_dict["result"] == ["请填写办理结果"]


def test_officer_may_not_handle(gw):
    with pytest.raises(PermissionDenied):
        services.event_accept(event=event_report(gw), actor=gw["officer_a"])


def test_to_case_links_an_existing_case(gw):
    case = visit_case(gw)
    event = services.event_to_case(
        event=event_report(gw), actor=gw["comm_clerk"], case_number=case.number
    )
    assert event.status == EventStatus.TO_CASE and event.case == case


def test_to_case_unknown_number_refused(gw):
    with pytest.raises(ValidationError) as exc:
        services.event_to_case(event=event_report(gw), actor=gw["comm_clerk"], case_number="X1")
    assert "没有找到办件号" in exc.value.message_dict["case_number"][0]


def test_to_case_refuses_a_case_outside_the_actors_scope(gw):
    from sanyi.cases.tests import factories as case_f

    elsewhere = case_f.case(gw)  # a district department's case, out of the community's sight
    with pytest.raises(ValidationError) as exc:
        services.event_to_case(
            event=event_report(gw), actor=gw["comm_clerk"], case_number=elsewhere.number
        )
    assert "没有找到办件号" in exc.value.message_dict["case_number"][0]


def test_offer_notifies_the_resident(gw):
    from sanyi.notify.models import Message

    person = visit_case(gw).applicant
    person.grid = gw["grid_a"]
    person.save()
    event = services.event_offer(
        event=event_report(gw, applicant=person), actor=gw["comm_clerk"], item="高龄津贴申领"
    )
    assert event.status == EventStatus.TO_OFFER and event.offer_item == "高龄津贴申领"
    message = Message.objects.get(event="grid.event_offer")
    assert "高龄津贴申领" in message.subject


def test_visibility_by_role_and_unit(gw):
    a = event_report(gw)
    assert selectors.event_get(gw["officer_a"], a.pk) is not None
    assert selectors.event_get(gw["officer_b"], a.pk) is None
    assert selectors.event_get(gw["comm_clerk"], a.pk) is not None
    other_comm_staff = org_f.staff(gw["comm2"], Role.WINDOW_CLERK)
    assert selectors.event_get(other_comm_staff, a.pk) is None
    services.event_route(event=a, actor=gw["comm_clerk"], to_unit=gw["dept"], note="交部门")
    # The community still sees what it handled; the department now holds it.
    assert selectors.event_get(gw["comm_clerk"], a.pk) is not None
    assert a.pk not in {e.pk for e in selectors.event_list(gw["comm_clerk"], todo=True)}


def test_event_figures_count_open_and_closed_per_grid(gw, django_assert_max_num_queries):
    event_report(gw)
    services.event_close(event=event_report(gw), actor=gw["comm_clerk"], result="已处理")
    with django_assert_max_num_queries(2):  # the viewer's roles (if not read yet), the counts
        figures = selectors.event_figures(
            viewer=gw["comm_clerk"], grids=[gw["grid_a"], gw["grid_b"]]
        )
    assert figures == {
        gw["grid_a"].pk: {"open": 1, "closed": 1},
        gw["grid_b"].pk: {"open": 0, "closed": 0},
    }
