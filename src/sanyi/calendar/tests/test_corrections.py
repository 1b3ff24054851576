"""Correcting the calendar by hand (calendar.corrections): one day with its reason, and a
loaded notice's details. Only system administrators may; every refusal names the field."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.audit.models import AuditEvent
from sanyi.calendar.corrections import (
    calendar_day_correct,
    calendar_notice_correct,
    day_correction_check,
    day_correction_preview,
)
from sanyi.calendar.models import CalendarChange, CalendarDay, CalendarYear
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(official):
    return of.staff(of.district(), Role.SYSTEM_ADMIN)


def _errors(exc: pytest.ExceptionInfo) -> dict:
    return exc.value.message_dict


def test_a_weekday_made_a_holiday_is_written_with_its_reason_and_audited(admin):
    correction = calendar_day_correct(
        actor=admin, day=date(2026, 12, 31), kind="holiday", name="元旦", reason="补充通知"
    )

    assert (correction.before, correction.after) == ("平日（上班）", "节假日（元旦）")
    row = CalendarDay.objects.get(date=date(2026, 12, 31))
    assert (row.kind, row.name) == ("holiday", "元旦")
    change = CalendarChange.objects.order_by("-id").first()
    assert change.summary.endswith("（原因：补充通知）")
    event = AuditEvent.objects.filter(action="calendar_day.set").latest("seq")
    assert event.note.endswith("原因：补充通知")


def test_a_holiday_made_an_ordinary_day_again(admin):
    calendar_day_correct(actor=admin, day=date(2026, 10, 1), kind="normal", reason="测试更正")

    assert not CalendarDay.objects.filter(date=date(2026, 10, 1)).exists()
    assert AuditEvent.objects.filter(action="calendar_day.remove").exists()


@pytest.mark.parametrize(
    ("day", "kind", "name", "reason", "field", "message"),
    [
        (date(2026, 12, 31), "holiday", "元旦", " ", "reason", "请填写更正原因"),
        (date(2026, 12, 31), "holiday", "元旦", "x" * 201, "reason", "不能超过200个字"),
        (date(2026, 12, 31), "makeup_workday", "元旦", "补充通知", "kind", "应为周六或周日"),
        (date(2026, 12, 31), "holiday", "", "补充通知", "name", "请填写节日名称"),
        (date(2026, 12, 30), "normal", "", "补充通知", "kind", "无需更正"),
        (date(2026, 10, 1), "holiday", "国庆节", "补充通知", "kind", "无需更正"),
        (date(2030, 1, 2), "normal", "", "补充通知", "date", "2030年的节假日安排尚未载入"),
        (date(2030, 1, 2), "holiday", "元旦", "补充通知", "date", "2030年的节假日安排尚未载入"),
    ],
)
def test_a_wrong_correction_is_refused_by_field_and_writes_nothing(
    admin, day, kind, name, reason, field, message
):
    changes = CalendarChange.objects.count()

    with pytest.raises(ValidationError) as exc:
        calendar_day_correct(actor=admin, day=day, kind=kind, name=name, reason=reason)

    assert any(message in m for m in _errors(exc)[field]), _errors(exc)
    assert CalendarChange.objects.count() == changes


def test_only_system_admins_correct_the_calendar(official):
    officer = of.staff(of.district(), Role.CATALOG_ADMIN)

    with pytest.raises(PermissionDenied):
        day_correction_check(
            actor=officer, day=date(2026, 12, 31), kind="holiday", name="元旦", reason="x"
        )
    with pytest.raises(PermissionDenied):
        calendar_notice_correct(
            actor=officer,
            year=2026,
            notice_title="t",
            notice_number="n",
            published_on=date(2025, 11, 4),
            source="",
            notes="",
        )


def test_the_preview_writes_nothing(admin):
    changes, audits = CalendarChange.objects.count(), AuditEvent.objects.count()

    preview = day_correction_preview(
        actor=admin, day=date(2026, 12, 31), kind="holiday", name="元旦", reason="补充通知"
    )

    assert preview.correction.after == "节假日（元旦）"
    assert not CalendarDay.objects.filter(date=date(2026, 12, 31)).exists()
    assert (CalendarChange.objects.count(), AuditEvent.objects.count()) == (changes, audits)


def test_a_notice_s_details_are_corrected_and_its_days_kept(admin):
    days = CalendarDay.objects.filter(date__year=2026).count()

    row = calendar_notice_correct(
        actor=admin,
        year=2026,
        notice_title="国务院办公厅关于2026年部分节假日安排的通知",
        notice_number="国办发明电〔2025〕7号",
        published_on=date(2025, 11, 4),
        source="https://www.gov.cn/",
        notes="更正来源",
    )

    assert CalendarYear.objects.get(year=2026).source == "https://www.gov.cn/"
    assert row.notes == "更正来源"
    assert CalendarDay.objects.filter(date__year=2026).count() == days
    assert AuditEvent.objects.filter(action="calendar_year.update").exists()


def test_an_empty_notice_number_is_refused_by_name(admin):
    with pytest.raises(ValidationError) as exc:
        calendar_notice_correct(
            actor=admin,
            year=2026,
            notice_title="标题",
            notice_number=" ",
            published_on=date(2025, 11, 4),
            source="",
            notes="",
        )
    assert _errors(exc)["notice_number"] == ["发文字号不能为空"]
