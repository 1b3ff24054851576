"""Routing to the applicant's grid, the officer's task list (scoped), and recording a
visit: the step completes through the cases services and the clock moves."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.cases.choices import TaskStatus
from sanyi.grid import selectors, services
from sanyi.grid.models import Confirmation, Visit
from sanyi.grid.tests.factories import jpeg_with_gps, open_task, signature_png, visit_case

pytestmark = pytest.mark.django_db


def _code(memory_sms) -> str:
    import re

    return re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)


def _input(**kw) -> services.VisitInput:
    base = {"visited_at": timezone.now(), "outcome": "done", "notes": "家中三人，情况属实"}
    base.update(kw)
    return services.VisitInput(**base)


def test_grid_step_goes_to_the_applicant_grid(gw):
    task = open_task(visit_case(gw, "示范区文一路45号"))
    assert task.name == "入户调查"
    assert task.unit == gw["grid_a"]
    assert open_task(visit_case(gw, "学院路12号3幢")).unit == gw["grid_b"]


def test_without_a_grid_the_step_goes_to_the_community(gw):
    task = open_task(visit_case(gw, "中山路1号"))
    assert task.unit == gw["comm1"]


def test_officer_sees_only_own_grid(gw, django_assert_max_num_queries):
    a = [open_task(visit_case(gw, f"文一路{n}号")) for n in (1, 3, 5)]
    b = open_task(visit_case(gw, "文一路2号"))
    with django_assert_max_num_queries(3):
        rows = list(selectors.grid_tasks(gw["officer_a"]))
        [t.case.applicant.masked_id + t.case.implementation_item.base_item.name for t in rows]
    assert {t.pk for t in rows} == {t.pk for t in a}
    assert [t.pk for t in selectors.grid_tasks(gw["officer_b"])] == [b.pk]
    assert list(selectors.grid_tasks(gw["approver"])) == []
    assert selectors.grid_task(gw["officer_a"], b.pk) is None


def test_visit_with_sms_code_completes_the_step(gw, memory_sms):
    case = visit_case(gw)
    task = open_task(case)
    sent = services.visit_code_request(task=task, actor=gw["officer_a"])
    assert memory_sms.sent[-1].phone == case.applicant.phone
    assert sent.phone != case.applicant.phone  # masked
    photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
    visit = services.visit_record(
        task=task,
        actor=gw["officer_a"],
        data=_input(code=_code(memory_sms), photos=[photo]),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.DONE
    assert task.completed_by == gw["officer_a"]
    nxt = open_task(case)
    assert nxt.name == "审核" and nxt.unit == gw["sub1"]
    # The next step's clock starts as after any completed step (its own budget of days).
    assert nxt.due_on is not None
    assert nxt.started_on == timezone.localtime(task.completed_at).date()
    assert visit.photos.count() == 1
    assert AuditEvent.objects.filter(action="grid.visit_record").count() == 1


def test_exif_and_gps_are_stripped_unless_kept(gw, memory_sms):
    from PIL import Image

    for keep in (False, True):
        task = open_task(visit_case(gw, "文一路9号"))
        services.visit_code_request(task=task, actor=gw["officer_a"])
        photo = SimpleUploadedFile("p.jpg", jpeg_with_gps(), content_type="image/jpeg")
        visit = services.visit_record(
            task=task,
            actor=gw["officer_a"],
            data=_input(code=_code(memory_sms), photos=[photo], keep_location=keep),
        )
        stored = visit.photos.get()
        with stored.image.open("rb") as fh:
            exif = Image.open(io.BytesIO(fh.read())).getexif()
        assert bool(exif.get_ifd(0x8825)) is keep
        assert stored.location_kept is keep


def test_wrong_code_refused_and_nothing_written(gw, memory_sms):
    task = open_task(visit_case(gw))
    services.visit_code_request(task=task, actor=gw["officer_a"])
    with pytest.raises(ValidationError) as exc:
        services.visit_record(task=task, actor=gw["officer_a"], data=_input(code="000000"))
    assert "code" in exc.value.message_dict
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN and not Visit.objects.exists()
    from sanyi.grid.models import VisitCode

    assert VisitCode.objects.get(task=task).attempts == 1  # the wrong try is counted


def test_codes_are_rate_limited(gw, memory_sms):
    task = open_task(visit_case(gw))
    services.visit_code_request(task=task, actor=gw["officer_a"])
    with pytest.raises(ValidationError, match="过于频繁"):
        services.visit_code_request(task=task, actor=gw["officer_a"])
    assert ["验证码" in sms.text for sms in memory_sms.sent] == [True]  # one code only


def test_not_a_picture_refused(gw, memory_sms):
    task = open_task(visit_case(gw))
    services.visit_code_request(task=task, actor=gw["officer_a"])
    fake = SimpleUploadedFile("p.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(ValidationError) as exc:
        services.visit_record(
            task=task, actor=gw["officer_a"], data=_input(code=_code(memory_sms), photos=[fake])
        )
    assert "第1张照片" in str(exc.value)


def test_signature_confirmation(gw):
    task = open_task(visit_case(gw))
    visit = services.visit_record(
        task=task,
        actor=gw["officer_a"],
        data=_input(confirmation=Confirmation.SIGNATURE, signature=signature_png()),
    )
    assert visit.signature.name.endswith(".png")


def test_other_grid_officer_may_not_record(gw, memory_sms):
    task = open_task(visit_case(gw))
    with pytest.raises(PermissionDenied):
        services.visit_code_request(task=task, actor=gw["officer_b"])
    with pytest.raises(PermissionDenied):
        services.visit_record(
            task=task,
            actor=gw["officer_b"],
            data=_input(confirmation="signature", signature=signature_png()),
        )


def test_full_id_only_at_an_investigation_and_audited(gw):
    task = open_task(visit_case(gw))
    number = services.visit_id_reveal(task=task, actor=gw["officer_a"])
    assert number == task.case.applicant.id_number
    assert AuditEvent.objects.filter(action="grid.id_viewed").count() == 1
    with pytest.raises(PermissionDenied):
        services.visit_id_reveal(task=task, actor=gw["officer_b"])
