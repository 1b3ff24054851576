"""Intake, replies, lapses, fees, appeals, scoping and notifications."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from sanyi.audit.models import AuditEvent
from sanyi.calendar.tests.factories import official_calendar
from sanyi.core.actors import SystemActor
from sanyi.disclosure_requests import services
from sanyi.disclosure_requests.choices import (
    AppealKind,
    AppealResult,
    ApplicantColumn,
    EventKind,
    FeeMethod,
    Outcome,
    RequestStatus,
)
from sanyi.disclosure_requests.models import InfoRequest
from sanyi.disclosure_requests.selectors import (
    RequestFilters,
    request_get,
    request_list,
    request_track,
)
from sanyi.disclosure_requests.tests import factories as f
from sanyi.notify.models import Message

D = dt.date


@pytest.fixture
def org_tree(db):
    official_calendar()
    return f.setting()


NOV_2 = D(2026, 11, 2)


def received(org_tree, on=NOV_2, **fields):
    return f.registered(org_tree["agency"], actor=org_tree["officer"], received_on=on, **fields)


# Intake ------------------------------------------------------------------------------------


def test_online_submit_is_idempotent_and_shows_the_code_once(org_tree):
    a = f.online(org_tree["agency"], idempotency_key="form-123")
    b = f.online(org_tree["agency"], idempotency_key="form-123")
    assert a.created and not b.created
    assert a.request.pk == b.request.pk and a.query_code == b.query_code
    assert InfoRequest.objects.count() == 1
    assert a.query_code not in a.request.query_code_hash
    assert request_track(number=a.request.number, code=a.query_code.lower()) == a.request
    assert request_track(number=a.request.number, code="WRONG123") is None
    assert a.request.number.startswith(
        f"GK{a.request.submitted_on.year}-{org_tree['agency'].pk:04d}-"
    )


def test_online_request_waits_for_confirmation_and_tells_the_officers(org_tree):
    sub = f.online(org_tree["agency"], on=D(2026, 11, 2))
    assert sub.request.status == RequestStatus.AWAITING_CONFIRMATION
    assert Message.objects.filter(user=org_tree["officer"], event="request.submitted").exists()
    assert Message.objects.filter(
        applicant=sub.request.applicant, event="request.submitted"
    ).exists()
    r = services.request_confirm(actor=org_tree["officer"], request=sub.request, on=D(2026, 11, 3))
    assert r.received_on == D(2026, 11, 3) and r.assigned_to == org_tree["officer"]
    assert Message.objects.filter(applicant=r.applicant, event="request.received").exists()


def test_organisation_applicant_goes_to_its_report_column(org_tree):
    sub = f.online(
        org_tree["agency"], id_number=f.org_id(), name="某律师事务所",
        organisation_category=ApplicantColumn.LEGAL_SERVICE,
    )  # fmt: skip
    assert sub.request.applicant_column == ApplicantColumn.LEGAL_SERVICE
    with pytest.raises(ValidationError) as exc:
        f.online(org_tree["agency"], id_number=f.org_id(), name="某公司")
    assert "organisation_category" in exc.value.message_dict


def test_a_request_keeps_its_contact_and_never_changes_the_applicant_on_file(org_tree):
    number = f.person_id()
    first = f.online(org_tree["agency"], id_number=number, name="王五", phone="13800000001")
    second = f.online(
        org_tree["agency"], id_number=number, name="王六", phone="138 0000 0002",
        email="x@example.com", address="别处1号", postal_code="990101",
    )  # fmt: skip
    applicant = second.request.applicant
    assert applicant.pk == first.request.applicant_id
    applicant.refresh_from_db()
    assert (applicant.name, applicant.phone, applicant.email, applicant.address) == (
        "王五", "13800000001", "", "",
    )  # fmt: skip
    r = second.request
    assert (r.contact_name, r.contact_phone, r.contact_email) == (
        "王六", "13800000002", "x@example.com",
    )  # fmt: skip
    assert (r.contact_address, r.contact_postal_code) == ("别处1号", "990101")
    assert r.addressee == "王六" and r.name_differs_from_file
    assert (
        not AuditEvent.objects.filter(action__startswith="applicant.", object_id=str(applicant.pk))
        .exclude(action="applicant.create")
        .exists()
    )


def test_replies_go_to_the_contact_written_on_the_request(org_tree):
    from sanyi.notify.models import OutboxMessage

    number = f.person_id()
    f.online(org_tree["agency"], id_number=number, name="王五", phone="13800000001")
    second = f.online(
        org_tree["agency"],
        id_number=number,
        name="王五",
        phone="13800000002",
        email="w@example.com",
    )
    services.request_confirm(actor=org_tree["officer"], request=second.request)
    sent_to = set(
        OutboxMessage.objects.filter(
            message__object_id=str(second.request.pk), message__applicant__isnull=False
        ).values_list("address", flat=True)
    )
    assert sent_to == {"13800000002", "w@example.com"}


def test_contact_details_are_checked_alike_for_new_and_registered_numbers(org_tree):
    number = f.person_id()
    f.online(org_tree["agency"], id_number=number, name="王五")
    errors = []
    for id_number in (number, f.person_id()):
        with pytest.raises(ValidationError) as exc:
            f.online(
                org_tree["agency"], id_number=id_number, name="王五", phone="abc", postal_code="1"
            )
        errors.append(exc.value.message_dict)
    assert errors[0] == errors[1] and set(errors[0]) == {"phone", "postal_code"}


def test_letters_are_addressed_to_the_name_on_the_request(org_tree):
    from sanyi.disclosure_requests import letters

    number = f.person_id()
    f.online(org_tree["agency"], id_number=number, name="王五")
    r = received(org_tree, id_number=number, name="王五六")
    r.outcome = Outcome.DISCLOSE
    assert "王五六：" in letters.reply_letter_html(r)


def test_bad_intake_names_the_fields(org_tree):
    with pytest.raises(ValidationError) as exc:
        f.online(org_tree["comm1"], description="", id_number="123")
    assert "id_number" in exc.value.message_dict


def test_future_dates_are_refused(org_tree):
    with pytest.raises(ValidationError, match="晚于今天"):
        received(org_tree, on=dt.date.today() + dt.timedelta(days=1))


# Replies ----------------------------------------------------------------------------------


def _ready_for(outcome, org_tree):
    """A request in the state where ``outcome`` can be recorded; the reply date."""
    r = received(org_tree)
    if outcome == Outcome.UNAVAILABLE_UNCLEAR:
        services.request_correction_notice(
            actor=org_tree["officer"], request=r, what="请明确信息名称", on=D(2026, 11, 3)
        )
        services.request_correction_received(
            actor=org_tree["officer"], request=r, on=D(2026, 11, 5)
        )
    if outcome == Outcome.OTHER_NO_CORRECTION:
        services.request_correction_notice(
            actor=org_tree["officer"], request=r, what="请明确信息名称", on=D(2026, 11, 3),
            due_on=D(2026, 11, 10),
        )  # fmt: skip
        return r, D(2026, 11, 11)
    if outcome == Outcome.OTHER_NO_FEE:
        services.request_fee_notice(
            actor=org_tree["officer"], request=r, method=FeeMethod.PER_PAGE, pages=120,
            on=D(2026, 11, 3), due_on=D(2026, 11, 10),
        )  # fmt: skip
        return r, D(2026, 11, 11)
    return r, D(2026, 11, 20)


@pytest.mark.parametrize("outcome", Outcome.values)
def test_every_outcome_can_be_recorded_with_a_letter(org_tree, outcome):
    r, on = _ready_for(outcome, org_tree)
    r = services.request_reply(
        actor=org_tree["officer"], request=r, outcome=outcome, text="答复正文：经检索。", on=on,
        referral="示范区统计局，电话0000-1234567" if outcome == Outcome.UNAVAILABLE_NOT_HELD
        else "", carriers=f.carrying(outcome))  # fmt: skip
    assert (r.outcome, r.concluded_on) == (outcome, on)
    expected = (
        RequestStatus.CLOSED
        if outcome in (Outcome.OTHER_NO_CORRECTION, Outcome.OTHER_NO_FEE)
        else RequestStatus.REPLIED
    )
    assert r.status == expected
    assert r.reply_legal_basis == services.DEFAULT_BASIS[outcome]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.reply_letter.read())).pages)
    assert "政府信息公开申请答复书" in text
    assert Outcome(outcome).label[:6] in text.replace("\n", "")
    assert "60日内" in text and "6个月内" in text
    assert Message.objects.filter(applicant=r.applicant, event="request.replied").exists()
    assert AuditEvent.objects.filter(action="disclosure_request.reply", object_id=str(r.pk))


def test_the_letter_carries_the_reply_and_the_referral(org_tree):
    r = received(org_tree)
    r = services.request_reply(
        actor=org_tree["officer"], request=r, outcome=Outcome.UNAVAILABLE_NOT_HELD,
        text="本机关未制作或获取该信息。", referral="示范区统计局", on=D(2026, 11, 6),
    )  # fmt: skip
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.reply_letter.read())).pages)
    flat = text.replace("\n", "").replace(" ", "")
    assert "本机关未制作或获取该信息" in flat
    assert "示范区统计局" in flat
    assert r.number in flat
    assert "第三十六条" in flat


def test_lapse_outcomes_need_a_passed_deadline(org_tree):
    r = received(org_tree)
    with pytest.raises(ValidationError) as exc:
        services.request_reply(
            actor=org_tree["officer"], request=r, outcome=Outcome.OTHER_NO_CORRECTION, text="x",
            on=D(2026, 11, 5),
        )  # fmt: skip
    assert "outcome" in exc.value.message_dict


def test_reply_on_the_spot(org_tree):
    r = received(org_tree, on=D(2026, 11, 6))
    r = services.request_reply(
        actor=org_tree["officer"], request=r, outcome=Outcome.DISCLOSE, text="当场提供。",
        on_spot=True, on=D(2026, 11, 6), carriers=f.carrying(Outcome.DISCLOSE))  # fmt: skip
    assert r.reply_on_spot and r.status == RequestStatus.REPLIED


# Correction window and lapses ------------------------------------------------------------


def test_correction_lapse_closes_as_withdrawn_no_correction(org_tree):
    r = received(org_tree)
    services.request_correction_notice(
        actor=org_tree["officer"], request=r, what="请写明文号", on=D(2026, 11, 3),
        due_on=D(2026, 11, 10),
    )  # fmt: skip
    assert services.requests_close_lapsed(today=D(2026, 11, 10)) == 0
    assert services.requests_close_lapsed(today=D(2026, 11, 11)) == 1
    r.refresh_from_db()
    assert (r.status, r.outcome, r.concluded_on) == (
        RequestStatus.CLOSED,
        Outcome.OTHER_NO_CORRECTION,
        D(2026, 11, 11),
    )
    assert r.events.filter(kind=EventKind.CORRECTION_LAPSED).exists()
    assert r.reply_letter
    assert services.requests_close_lapsed(today=D(2026, 11, 20)) == 0


def test_late_correction_needs_a_reason(org_tree):
    r = received(org_tree)
    services.request_correction_notice(
        actor=org_tree["officer"], request=r, what="请写明文号", on=D(2026, 11, 3),
        due_on=D(2026, 11, 10),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.request_correction_received(
            actor=org_tree["officer"], request=r, on=D(2026, 11, 12)
        )
    assert "note" in exc.value.message_dict
    r = services.request_correction_received(
        actor=org_tree["officer"], request=r, on=D(2026, 11, 12), note="申请人住院，有证明"
    )
    assert r.clock_start_on == D(2026, 11, 12)


def test_fee_per_item_counts_the_month_and_unpaid_closes(org_tree):
    number = f.person_id()
    reqs = [
        received(org_tree, on=D(2026, 10, 12), id_number=number, name="赵六") for _ in range(11)
    ]
    with pytest.raises(ValidationError, match="不收费"):
        services.request_fee_notice(
            actor=org_tree["officer"],
            request=reqs[9],
            method=FeeMethod.PER_ITEM,
            on=D(2026, 10, 13),
        )
    r = services.request_fee_notice(
        actor=org_tree["officer"], request=reqs[10], method=FeeMethod.PER_ITEM, on=D(2026, 10, 13)
    )
    assert (r.fee_units, r.fee_amount, r.status) == (11, 100, RequestStatus.AWAITING_FEE)
    with pytest.raises(ValidationError):
        services.request_fee_notice(
            actor=org_tree["officer"], request=r, method=FeeMethod.PER_PAGE, pages=500
        )
    services.requests_close_lapsed(today=r.fee_due_on + dt.timedelta(days=1))
    r.refresh_from_db()
    assert (r.status, r.outcome) == (RequestStatus.CLOSED, Outcome.OTHER_NO_FEE)


def test_fee_time_is_not_counted(org_tree):
    r = received(org_tree, on=D(2026, 11, 2))
    assert r.reply_due_on == D(2026, 11, 30)
    r = services.request_fee_notice(
        actor=org_tree["officer"], request=r, method=FeeMethod.PER_PAGE, pages=40, on=D(2026, 11, 4)
    )
    assert r.fee_amount == 100
    # Paid Tue 11/10: 11/5, 6, 9, 10 are not counted → due moves 4 working days to 12/4.
    r = services.request_fee_paid(actor=org_tree["officer"], request=r, on=D(2026, 11, 10))
    assert (r.status, r.reply_due_on) == (RequestStatus.IN_PROGRESS, D(2026, 12, 4))


# Extension rules ----------------------------------------------------------------------------


def test_extension_needs_another_approver_in_scope(org_tree):
    r = received(org_tree)
    with pytest.raises(ValidationError, match="本人"):
        services.request_extend(
            actor=org_tree["officer"], request=r, days=10, reason="x", approver=org_tree["officer"]
        )
    with pytest.raises(ValidationError) as exc:
        services.request_extend(
            actor=org_tree["officer"], request=r, days=10, reason="x", approver=org_tree["outsider"]
        )
    assert "approver" in exc.value.message_dict
    with pytest.raises(ValidationError, match="1至20"):
        services.request_extend(
            actor=org_tree["officer"], request=r, days=21, reason="x", approver=org_tree["officer2"]
        )
    r = services.request_extend(
        actor=org_tree["officer"], request=r, days=20, reason="x", approver=org_tree["officer2"],
        on=D(2026, 11, 20),
    )  # fmt: skip
    assert Message.objects.filter(applicant=r.applicant, event="request.extended").exists()


# Withdrawal, appeals --------------------------------------------------------------------------


def test_withdrawal_counts_as_other(org_tree):
    r = received(org_tree)
    r = services.request_withdraw(
        actor=org_tree["officer"], request=r, reason="已获取", on=D(2026, 11, 4)
    )
    assert (r.status, r.outcome) == (RequestStatus.WITHDRAWN, Outcome.OTHER)


def test_an_applicant_acting_as_a_system_actor_is_recorded_by_label_and_not_role_checked(org_tree):
    # given a received request, and its applicant named as a typed system actor
    r = received(org_tree)
    applicant = SystemActor(r.applicant.audit_label)
    # when the applicant withdraws it
    r = services.request_withdraw(actor=applicant, request=r, reason="不再需要", on=D(2026, 11, 4))
    # then no officer role was asked for, and the ledger and the audit row carry the label
    assert r.status == RequestStatus.WITHDRAWN
    event = r.events.get(kind=EventKind.WITHDRAWN)
    assert (event.actor_id, event.actor_label) == (None, applicant.label)
    audit = AuditEvent.objects.get(action="disclosure_request.withdraw", object_id=str(r.pk))
    assert (audit.actor_id, audit.actor_label) == (None, applicant.label)
    # and a second withdrawal is refused on the status, writing nothing
    with pytest.raises(ValidationError) as exc:
        services.request_withdraw(actor=applicant, request=r, on=D(2026, 11, 5))
    assert exc.value.message_dict == {"status": ["申请已办结，不能撤回"]}
    assert AuditEvent.objects.filter(action="disclosure_request.withdraw").count() == 1


def test_appeals_are_recorded_and_concluded(org_tree):
    r = received(org_tree)
    services.request_reply(
        actor=org_tree["officer"], request=r, outcome=Outcome.WITHHOLD_PROCESS, text="过程性信息。",
        on=D(2026, 11, 10),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.appeal_record(
            actor=org_tree["officer"], request=r, kind=AppealKind.LAWSUIT_AFTER_REVIEW,
            filed_on=D(2026, 11, 12), authority="示范区人民法院",
        )  # fmt: skip
    review = services.appeal_record(
        actor=org_tree["officer"], request=r, kind=AppealKind.REVIEW, filed_on=D(2026, 11, 12),
        authority="示范区人民政府",
    )  # fmt: skip
    assert review.result == AppealResult.PENDING
    review = services.appeal_conclude(
        actor=org_tree["officer"], appeal=review, result=AppealResult.UPHELD,
        concluded_on=D(2026, 11, 25),
    )  # fmt: skip
    assert review.concluded_on == D(2026, 11, 25)
    with pytest.raises(ValidationError):
        services.appeal_conclude(
            actor=org_tree["officer"], appeal=review, result=AppealResult.CORRECTED,
            concluded_on=D(2026, 11, 26),
        )  # fmt: skip
    assert list(r.events.filter(kind__startswith="appeal").values_list("kind", flat=True)) == [
        EventKind.APPEAL_FILED, EventKind.APPEAL_CONCLUDED,
    ]  # fmt: skip


# Scope and permissions ---------------------------------------------------------------------


def test_officer_outside_scope_sees_and_does_nothing(org_tree):
    r = received(org_tree)
    assert list(request_list(viewer=org_tree["outsider"])) == []
    assert request_get(viewer=org_tree["outsider"], pk=r.pk) is None
    assert request_get(viewer=org_tree["supervisor"], pk=r.pk) == r
    assert request_get(viewer=org_tree["district_officer"], pk=r.pk) == r
    with pytest.raises(PermissionDenied):
        services.request_reply(
            actor=org_tree["outsider"],
            request=r,
            outcome=Outcome.DISCLOSE,
            text="x",
            carriers=f.carrying(Outcome.DISCLOSE),
        )
    with pytest.raises(PermissionDenied):
        services.request_reply(
            actor=org_tree["supervisor"],
            request=r,
            outcome=Outcome.DISCLOSE,
            text="x",
            carriers=f.carrying(Outcome.DISCLOSE),
        )


def test_list_filters_and_overdue(org_tree, django_assert_max_num_queries):
    old = received(org_tree, on=D(2026, 10, 9))  # due 11/6
    new = received(org_tree, on=D(2026, 11, 20))
    today = D(2026, 11, 27)
    overdue = request_list(
        viewer=org_tree["officer"], filters=RequestFilters(overdue=True), today=today
    )
    assert list(overdue) == [old]
    assert list(
        request_list(viewer=org_tree["officer"], filters=RequestFilters(due_before=D(2026, 11, 30)))
    ) == [old]
    for _ in range(5):
        received(org_tree)
    with django_assert_max_num_queries(3):
        rows = list(request_list(viewer=org_tree["officer"], today=today))
        [list(r.stops.all()) for r in rows]
    assert rows[0] == old and new in rows


# Notifications in the same transaction ---------------------------------------------------


def test_notifications_roll_back_with_the_action(org_tree, monkeypatch):
    r = received(org_tree)
    before = Message.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("letter failed")

    from sanyi.disclosure_requests import letters

    monkeypatch.setattr(letters, "reply_letter_pdf", boom)
    with pytest.raises(RuntimeError):
        services.request_reply(
            actor=org_tree["officer"], request=r, outcome=Outcome.DISCLOSE, text="x",
            on=D(2026, 11, 5), carriers=f.carrying(Outcome.DISCLOSE))  # fmt: skip
    r.refresh_from_db()
    assert r.status == RequestStatus.IN_PROGRESS
    assert Message.objects.count() == before


def test_warnings_are_sent_once_per_state(org_tree):
    r = received(org_tree, on=D(2026, 10, 9))  # due Fri 11/6
    r.assigned_to = org_tree["officer2"]
    r.save(update_fields=["assigned_to"])
    # 11/2: 16 of 20 used → yellow
    sent = services.requests_warn(today=D(2026, 11, 2))
    # the assignee (one of the agency's two officers) and the district's officer
    assert sent == 3
    assert services.requests_warn(today=D(2026, 11, 3)) == 0
    red = services.requests_warn(today=D(2026, 11, 9))
    assert red == 3
    assert Message.objects.filter(user=org_tree["officer2"], event="request.overdue").count() == 1
    assert r.events.filter(kind=EventKind.WARNED).count() == 2


def test_window_clerk_registers_but_does_not_handle(org_tree):
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    clerk = org_f.staff(org_tree["agency"], Role.WINDOW_CLERK)
    r = f.registered(org_tree["agency"], actor=clerk, received_on=D(2026, 11, 2))
    assert r.assigned_to is None and r.status == RequestStatus.IN_PROGRESS
    with pytest.raises(PermissionDenied):
        services.request_reply(
            actor=clerk,
            request=r,
            outcome=Outcome.DISCLOSE,
            text="x",
            carriers=f.carrying(Outcome.DISCLOSE),
        )
    with pytest.raises(PermissionDenied):
        f.registered(org_tree["agency"], actor=org_tree["outsider"], received_on=D(2026, 11, 2))


def test_applicant_corrects_online_and_the_officers_hear_of_it(org_tree):
    r = received(org_tree)
    services.request_correction_notice(
        actor=org_tree["officer"], request=r, what="请写明年份", on=D(2026, 11, 3)
    )
    r = services.request_correction_received(
        actor=r.applicant.audit_label, request=r, on=D(2026, 11, 4),
        description="2025年度本区低保资金发放明细",
    )  # fmt: skip
    assert r.description == "2025年度本区低保资金发放明细"
    event = r.events.get(kind=EventKind.CORRECTION_RECEIVED)
    assert event.data["description_before"] == "本单位2025年度行政处罚决定书目录"
    assert Message.objects.filter(user=org_tree["officer"], event="request.corrected").exists()


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("correction", "请写明文号"), ("extension", "延长10个工作日"), ("fee", "100元")],
)
def test_notices_are_written_for_the_applicant(org_tree, kind, expected):
    r = received(org_tree)
    if kind == "correction":
        services.request_correction_notice(
            actor=org_tree["officer"], request=r, what="请写明文号", on=D(2026, 11, 3)
        )
    elif kind == "extension":
        services.request_extend(
            actor=org_tree["officer"],
            request=r,
            days=10,
            reason="需要检索",
            approver=org_tree["officer2"],
            on=D(2026, 11, 3),
        )  # fmt: skip
    else:
        services.request_fee_notice(
            actor=org_tree["officer"], request=r, method=FeeMethod.PER_PAGE, pages=40,
            on=D(2026, 11, 3),
        )  # fmt: skip
    notice = r.notices.get()
    assert notice.kind == kind and notice.issued_on == D(2026, 11, 3)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(notice.file.read())).pages)
    flat = text.replace("\n", "")
    assert expected in flat and r.number in flat


def test_a_reply_during_consultation_ends_the_stop(org_tree):
    r = received(org_tree)
    stop = services.request_consultation_start(
        actor=org_tree["officer"], request=r, party="某公司", on=D(2026, 11, 4)
    )
    r = services.request_reply(
        actor=org_tree["officer"], request=r, outcome=Outcome.WITHHOLD_THIRD_PARTY,
        text="第三方不同意公开。", on=D(2026, 11, 9),
    )  # fmt: skip
    stop.refresh_from_db()
    assert stop.ended_on == D(2026, 11, 9)
    # Days 11/5, 6, 9 were not counted: the due date on record is 12/3, not 11/30.
    assert r.reply_due_on == D(2026, 12, 3)
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.reply_letter.read())).pages)
    assert "征求了第三方（" in text.replace("\n", "")
