"""The correction deadline on every correction notice (counted on working days), and the
applicant's messages naming the item and the case."""

import datetime as dt

import pytest
from django.urls import reverse

from sanyi.calendar.selectors import add_workdays
from sanyi.cases import services
from sanyi.cases.choices import TaskStatus
from sanyi.cases.tests import factories as f
from sanyi.notify.channels import message_text
from sanyi.notify.models import Channel, Message, OutboxMessage

pytestmark = pytest.mark.django_db

# A Wednesday before National Day 2026 (10/1-10/7 off, Saturday 10/10 worked): ten working
# days from it are 10/8, 10/9, 10/10, 10/12 … 10/16, 10/19 and 10/20.
WED = dt.date(2026, 9, 30)


def _submitted(w, person, on=None):
    case = services.case_start(
        applicant=person, item=w["item"], channel="online", actor=person.audit_label, on=on
    )
    f.provide_all(case, person.audit_label)
    return services.case_submit(case=case, actor=person.audit_label, idempotency_key="k", on=on)


def _precheck_returned(w, person, on=None, **kwargs):
    case = _submitted(w, person, on=on)
    m = case.materials.get(name="申请书")
    return services.case_precheck(
        case=case,
        results=[{"material": m, "status": "to_fix", "problem": "缺少签名"}],
        actor=w["clerk"],
        on=on,
        **kwargs,
    )


def _subject_prefix(case) -> str:
    return f"{case.implementation_item.base_item.name}申请（编号 {case.short_number}）"


def test_precheck_notice_carries_the_default_deadline_in_working_days(w):
    person = f.applicant(phone="10012345670")

    case = _precheck_returned(w, person, on=WED)

    round_ = case.precheck_rounds.get()
    assert round_.reply_due_on == dt.date(2026, 10, 20)
    assert round_.reply_due_on == add_workdays(WED, 10).date
    assert "请在2026年10月20日前补正。" in round_.notice
    message = Message.objects.get(applicant=person, event="case.correction_needed")
    assert "2026年10月20日" in message.body
    assert message.subject == _subject_prefix(case) + "需要补正材料"


def test_the_clerk_may_give_another_number_of_days_and_the_setting_sets_the_default(w, settings):
    person = f.applicant()
    assert _precheck_returned(
        w, person, on=WED, reply_days=5
    ).precheck_rounds.get().reply_due_on == (dt.date(2026, 10, 13))
    settings.SANYI_CASE_CORRECTION_DAYS = 1
    other = _precheck_returned(w, f.applicant(), on=WED)
    assert other.precheck_rounds.get().reply_due_on == dt.date(2026, 10, 8)


def test_window_correction_notice_has_its_deadline_on_the_letter(client, w):
    case = f.case(w, state="awaiting")
    m_app = case.materials.get(name="申请书")

    case = services.case_accept(
        case=case,
        window=w["window"],
        decision="correction_notice",
        actor=w["clerk"],
        materials=[{"material": m_app, "status": "to_fix", "problem": "未签字"}],
        on=WED,
    )

    round_ = case.precheck_rounds.get()
    assert round_.reply_due_on == dt.date(2026, 10, 20)
    assert "请在2026年10月20日前补正。" in round_.notice
    client.force_login(w["clerk"])
    letter = client.get(reverse("workbench:cases:counter_receipt", args=[case.number]))
    assert "请在2026年10月20日前补正" in letter.content.decode()


def test_applicant_page_shows_the_correction_deadline(client, w):
    from sanyi.cases.tests.test_pages_public import sign_in

    person = f.applicant()
    case = _precheck_returned(w, person, on=WED)

    html = sign_in(client, person).get(reverse("cases:case", args=[case.number])).content.decode()

    assert "2026年10月20日" in html and case.short_number in html


def test_correction_during_handling_tells_the_deadline(w):
    case = f.case(w, state="in_progress")
    task = case.tasks.get(status=TaskStatus.OPEN)

    services.task_act(
        task=task, action="request_correction", actor=w["approver"], opinion="请补充租赁合同原件"
    )

    due = services.correction_due(dt.date.today())
    message = Message.objects.get(applicant=case.applicant, event="case.clock_stopped")
    assert f"{due.year}年{due.month}月{due.day}日前补正" in message.body
    assert message.subject == _subject_prefix(case) + "暂停计时"
    event = case.events.get(kind="clock_stopped")
    assert event.detail["reply_due_on"] == due.isoformat()


def test_acceptance_message_names_item_and_case_and_how_to_look_it_up(w):
    from sanyi.cases.links import TRACK_HOW

    case = f.case(w, state="in_progress")

    message = Message.objects.get(applicant=case.applicant, event="case.accepted")
    assert message.subject == _subject_prefix(case) + "已受理"
    assert case.short_number in message.body and TRACK_HOW in message.body


def test_every_case_message_to_the_applicant_names_item_and_case(w):
    case = f.case(w, state="delivered")

    subjects = list(
        Message.objects.filter(applicant=case.applicant).values_list("subject", flat=True)
    )

    assert len(subjects) >= 3  # accepted, concluded, delivered
    assert all(s.startswith(_subject_prefix(case)) for s in subjects)


def test_sms_and_email_carry_the_subject(w):
    person = f.applicant(phone="13800138000", email="lin@example.com")
    case = _precheck_returned(w, person)

    rows = OutboxMessage.objects.filter(
        message__applicant=person, message__event="case.correction_needed"
    )
    assert {r.channel for r in rows} >= {Channel.SMS, Channel.EMAIL}
    for row in rows:
        assert message_text(row, short=row.channel == Channel.SMS).startswith(_subject_prefix(case))


def test_a_long_item_name_still_fits_the_subject(w):
    from sanyi.cases.messages import applicant_subject

    case = f.case(w, state="awaiting")
    case.implementation_item.base_item.name = "很长的事项名称" * 40

    subject = applicant_subject(case, "case.accepted")

    assert len(subject) <= 200 and subject.endswith(f"（编号 {case.short_number}）已受理")
