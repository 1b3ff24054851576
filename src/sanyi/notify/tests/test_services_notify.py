"""Writing notifications: inbox rows, outbox rows, the caller's transaction, recipients."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.applicants.tests import factories as af
from sanyi.notify.models import Channel, DeliveryStatus, Message, OutboxMessage
from sanyi.notify.services import notify_applicant, notify_staff, webhook_subscription_create
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db


def test_applicant_message_is_in_the_inbox_and_sent_by_email_and_sms_after_commit(
    memory_sms, django_capture_on_commit_callbacks
):
    person = af.person(email="zhang@example.com", phone="10012345678")
    with django_capture_on_commit_callbacks(execute=True):
        [message] = notify_applicant(
            applicant=person,
            event="case.accepted",
            subject="您的申请已受理",
            body="办件编号 001",
            link="/my/",
            obj=person,
        )
    assert message.applicant == person and message.read_at is None
    assert (message.object_type, message.object_id) == ("applicants.applicant", str(person.pk))
    rows = {r.channel: r for r in message.deliveries.all()}
    assert set(rows) == {Channel.EMAIL, Channel.SMS}
    assert all(r.status == DeliveryStatus.SENT and r.attempts == 1 for r in rows.values())
    assert [s.phone for s in memory_sms.sent] == ["10012345678"]
    assert "您的申请已受理" in memory_sms.sent[0].text
    assert "https://zwfw.example.gov.cn/my/" in memory_sms.sent[0].text
    assert mail.outbox[0].to == ["zhang@example.com"]
    assert "您的申请已受理" in mail.outbox[0].subject


def test_no_outbox_rows_for_channels_the_applicant_has_no_address_for():
    person = af.person(phone="", email="")
    [message] = notify_applicant(applicant=person, event="case.accepted", subject="已受理", body="")
    assert Message.objects.filter(applicant=person).count() == 1
    assert not message.deliveries.exists()


def test_nothing_is_written_or_sent_when_the_callers_transaction_rolls_back(
    memory_sms, django_capture_on_commit_callbacks
):
    person = af.person()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify_applicant(applicant=person, event="case.accepted", subject="x", body="")
        raise RuntimeError("the caller fails after notifying")
    assert callbacks == []
    assert not Message.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert memory_sms.sent == []


def test_the_same_dedupe_key_for_the_same_recipient_writes_once():
    person, other = af.person(), af.person()
    kwargs = {"event": "request.overdue", "subject": "逾期", "body": "", "dedupe_key": "r:1:red"}
    assert len(notify_applicant(applicant=person, **kwargs)) == 1
    assert notify_applicant(applicant=person, **kwargs) == []
    assert len(notify_applicant(applicant=other, **kwargs)) == 1
    assert Message.objects.filter(dedupe_key="r:1:red").count() == 2


def test_bad_input_is_a_chinese_validation_error():
    person = af.person()
    with pytest.raises(ValidationError) as exc:
        notify_applicant(applicant=person, event="", subject=" ", body="", link="http://evil")
    assert set(exc.value.message_dict) == {"event", "subject", "link"}


def test_staff_message_goes_to_role_holders_whose_scope_covers_the_unit():
    tree = of.tree()
    on_sub = of.staff(tree["sub1"], Role.WINDOW_CLERK)
    on_district = of.staff(tree["district"], Role.WINDOW_CLERK)
    on_other_sub = of.staff(tree["sub2"], Role.WINDOW_CLERK)
    below = of.staff(tree["grid1"], Role.WINDOW_CLERK)
    other_role = of.staff(tree["sub1"], Role.APPROVER)
    messages = notify_staff(
        event="case.submitted",
        subject="新的网上申请",
        body="",
        unit=tree["comm1"],
        roles=(Role.WINDOW_CLERK,),
    )
    recipients = {m.user for m in messages}
    assert recipients == {on_sub, on_district}
    assert not recipients & {on_other_sub, below, other_role}


def test_inactive_staff_get_nothing():
    tree = of.tree()
    clerk = of.staff(tree["sub1"], Role.WINDOW_CLERK)
    clerk.is_active = False
    clerk.save()
    assert notify_staff(event="x.y", subject="s", body="", users=[clerk]) == []
    assert (
        notify_staff(
            event="x.y", subject="s", body="", unit=tree["sub1"], roles=[Role.WINDOW_CLERK]
        )
        == []
    )


def test_staff_sms_only_when_the_setting_is_on(settings):
    tree = of.tree()
    clerk = of.staff(tree["sub1"], Role.WINDOW_CLERK)
    clerk.email, clerk.phone = "clerk@example.gov.cn", "10000000001"
    clerk.save()
    [m] = notify_staff(event="a.b", subject="s", body="", users=[clerk])
    assert set(m.deliveries.values_list("channel", flat=True)) == {Channel.EMAIL}
    settings.SANYI_NOTIFY_STAFF_SMS = True
    [m] = notify_staff(event="a.c", subject="s", body="", users=[clerk])
    assert set(m.deliveries.values_list("channel", flat=True)) == {Channel.EMAIL, Channel.SMS}


def test_webhook_rows_only_for_matching_active_subscriptions_and_audience():
    sub_all = webhook_subscription_create(
        actor="系统：测试", name="全部", url="https://hook.example/a", secret="s" * 20
    )
    webhook_subscription_create(
        actor="系统：测试",
        name="办件",
        url="https://hook.example/b",
        secret="s" * 20,
        events="case.*",
        audience="staff",
    )
    case_sub = webhook_subscription_create(
        actor="系统：测试",
        name="办件给申请人",
        url="https://hook.example/c",
        secret="s" * 20,
        events="case.*, request.overdue",
        audience="applicants",
    )
    webhook_subscription_create(
        actor="系统：测试",
        name="停用",
        url="https://hook.example/d",
        secret="s" * 20,
        is_active=False,
    )
    person = af.person(phone="")
    [m] = notify_applicant(applicant=person, event="case.accepted", subject="s", body="")
    assert set(m.deliveries.values_list("subscription", flat=True)) == {sub_all.pk, case_sub.pk}
    [m] = notify_applicant(applicant=person, event="cases.x", subject="s", body="")
    assert set(m.deliveries.values_list("subscription", flat=True)) == {sub_all.pk}


def test_notify_needs_recipients():
    with pytest.raises(ValidationError):
        notify_staff(event="a.b", subject="s", body="")


def test_a_landline_gets_no_text_message():
    person = af.person(phone="0591-87654321", email="")
    [message] = notify_applicant(applicant=person, event="a.b", subject="s", body="")
    assert not message.deliveries.exists()


def test_a_long_body_stays_out_of_the_text_but_not_out_of_the_email(
    memory_sms, django_capture_on_commit_callbacks
):
    person = af.person(email="p@example.com")
    body = "长" * 200
    with django_capture_on_commit_callbacks(execute=True):
        notify_applicant(applicant=person, event="a.b", subject="答复已出", body=body, link="/my/")
    [sms] = memory_sms.sent
    assert body not in sms.text and "答复已出" in sms.text and "/my/" in sms.text
    assert body in mail.outbox[0].body


def test_a_concurrent_duplicate_is_dropped_without_breaking_the_callers_transaction(monkeypatch):
    from django.db.models.query import QuerySet

    person = af.person()
    kwargs = {"event": "a.b", "subject": "s", "body": "", "dedupe_key": "k:1"}
    with transaction.atomic():
        assert len(notify_applicant(applicant=person, **kwargs)) == 1
        # As if another transaction had inserted it after our check: the insert itself fails.
        monkeypatch.setattr(QuerySet, "exists", lambda self: False)
        assert notify_applicant(applicant=person, **kwargs) == []
        monkeypatch.undo()
        assert Message.objects.filter(applicant=person).count() == 1  # still usable
