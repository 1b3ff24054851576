import datetime as dt
import random
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sanyi.applicants.tests import factories as af
from sanyi.appointments import demo
from sanyi.appointments.models import Booking, Schedule, Slot
from sanyi.catalog.tests import factories as cf
from sanyi.core.scheduler import job_get
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as of

from .factories import SYSTEM, at

pytestmark = pytest.mark.django_db


def test_jobs_are_registered_and_run(fixed):
    for name in ("appointments.slots", "appointments.no-shows", "appointments.remind"):
        assert job_get(name) is not None
    summary = job_get("appointments.no-shows").func(now=at(dt.date(2026, 9, 21), 12))
    assert "0" in summary
    before = Slot.objects.count()
    job_get("appointments.slots").func(now=timezone.now())
    assert Slot.objects.count() > before


def test_command_publishes_slots_and_checks_its_input(place):
    out = StringIO()
    call_command("appointments", "slots", "--from", "2026-09-18", "--weeks", "1", stdout=out)
    assert "新增预约时段24个" in out.getvalue()  # 6 working days x 4 slots
    with pytest.raises(CommandError, match="不是有效日期"):
        call_command("appointments", "slots", "--from", "18/9")


def test_command_sets_up_a_schedule(place):
    out = StringIO()
    call_command(
        "appointments",
        "schedule",
        "--center",
        str(place.center.pk),
        "--name",
        "下午",
        "--hours",
        "13:30-17:00",
        "--slot",
        "30",
        "--capacity",
        "3",
        stdout=out,
    )
    assert "已设置" in out.getvalue()
    assert Schedule.objects.get(center=place.center, name="下午").capacity == 3
    with pytest.raises(CommandError, match="格式不对"):
        call_command(
            "appointments",
            "schedule",
            "--center",
            str(place.center.pk),
            "--name",
            "晚上",
            "--hours",
            "19点",
        )
    with pytest.raises(CommandError, match="同名"):
        call_command(
            "appointments",
            "schedule",
            "--center",
            str(place.center.pk),
            "--name",
            "下午",
            "--hours",
            "13:30-17:00",
        )


def test_demo_publishes_schedules_and_books_today(db):
    district = of.district(uscc=of.unique_uscc())
    sub = of.unit(district, OrgKind.SUBDISTRICT, uscc=of.unique_uscc())
    center = of.center(sub, windows=2)
    cf.item(unit=sub, status="published")
    people = [af.person() for _ in range(3)]
    assert not demo.is_loaded()
    result = demo.load(actor=SYSTEM, rng=random.Random(1))
    assert demo.is_loaded()
    assert Schedule.objects.filter(center=center).count() == 2
    bookings = Booking.objects.all()
    assert bookings.count() == 3
    days = {timezone.localtime(b.slot.starts_at).date() for b in bookings}
    assert len(days) == 1 and min(days) >= timezone.localdate()
    assert {b.applicant for b in bookings} == set(people)
    assert "3个预约" in result.summary
