"""Changing the sign-in mobile: codes to the old and the new number, or at a window."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanyi.applicants import services
from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.models import SignInCode
from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent
from sanyi.notify.models import Channel, OutboxMessage
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as of

pytestmark = pytest.mark.django_db
OLD, NEW = "10012340100", "10012340200"


def sign_in(client, applicant):
    session = client.session
    session[SESSION_KEY] = applicant.pk
    session.save()


def codes(memory_sms) -> dict[str, str]:
    """The last code sent to each mobile."""
    return {s.phone: re.search(r"验证码(\d{6})", s.text).group(1) for s in memory_sms.sent}


def assert_old_mobile_told(me):
    """The old mobile hears of the change, so a change its holder did not make shows."""
    [sms] = OutboxMessage.objects.filter(event="applicant.phone_changed", channel=Channel.SMS)
    assert sms.address == OLD
    assert "手机号已" in sms.message.body and NEW not in sms.message.body  # masked


def start(client, memory_sms, me):
    sign_in(client, me)
    response = client.post("/my/profile/phone/", {"phone": NEW})
    assert response.status_code == 302 and response.url == "/my/profile/phone/confirm/"
    return codes(memory_sms)


def test_codes_go_to_the_old_and_the_new_mobile_and_both_are_needed(client, memory_sms):
    me = af.person(phone=OLD)
    sent = start(client, memory_sms, me)
    assert set(sent) == {OLD, NEW} and sent[OLD] != sent[NEW]
    me.refresh_from_db()
    assert me.phone == OLD  # nothing changes before the codes
    response = client.post(
        "/my/profile/phone/confirm/", {"old_code": sent[OLD], "new_code": sent[NEW]}
    )
    assert response.status_code == 302 and response.url == "/my/"
    me.refresh_from_db()
    assert me.phone == NEW
    event = AuditEvent.objects.get(action="applicant.phone_change", object_id=str(me.pk))
    assert event.actor_label == me.audit_label
    assert event.changes == {"phone": [OLD, NEW]}
    assert_old_mobile_told(me)


def test_the_new_code_alone_does_not_change_the_mobile(client, memory_sms):
    me = af.person(phone=OLD)
    sent = start(client, memory_sms, me)
    wrong_old = f"{(int(sent[OLD]) + 1) % 10**6:06d}"
    page = client.post(
        "/my/profile/phone/confirm/", {"old_code": wrong_old, "new_code": sent[NEW]}
    ).content.decode()
    assert "不正确" in page and "还可以再试4次" in page
    me.refresh_from_db()
    assert me.phone == OLD


def test_the_old_code_alone_does_not_change_the_mobile(client, memory_sms):
    me = af.person(phone=OLD)
    sent = start(client, memory_sms, me)
    client.post("/my/profile/phone/confirm/", {"old_code": sent[OLD], "new_code": sent[OLD]})
    me.refresh_from_db()
    assert me.phone == OLD


def test_the_single_code_sign_in_page_cannot_complete_a_phone_change(client, memory_sms):
    me = af.person(phone=OLD)
    sent = start(client, memory_sms, me)
    challenge = SignInCode.objects.get(purpose="change_phone")
    for code in sent.values():
        with pytest.raises(ValidationError):
            services.signin_code_verify(challenge_id=challenge.pk, code=code)
    me.refresh_from_db()
    assert me.phone == OLD


def test_five_wrong_tries_kill_the_codes(client, memory_sms):
    me = af.person(phone=OLD)
    sent = start(client, memory_sms, me)
    for _ in range(5):
        client.post("/my/profile/phone/confirm/", {"old_code": "000000", "new_code": "000000"})
    page = client.post(
        "/my/profile/phone/confirm/", {"old_code": sent[OLD], "new_code": sent[NEW]}
    ).content.decode()
    assert "输错次数过多" in page
    me.refresh_from_db()
    assert me.phone == OLD


def test_phone_change_codes_are_rate_limited(settings, memory_sms):
    settings.SANYI_APPLICANT_CODES_PER_NUMBER = 2
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 0
    me = af.person(phone=OLD)
    services.phone_change_request(applicant=me, phone=NEW)
    services.phone_change_request(applicant=me, phone="10012340300")
    sent = len(memory_sms.sent)
    with pytest.raises(services.RateLimited):
        services.phone_change_request(applicant=me, phone="10012340400")
    assert len(memory_sms.sent) == sent  # nothing sent when limited


def test_the_page_says_when_rate_limited(settings, client, memory_sms):
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 60
    me = af.person(phone=OLD)
    start(client, memory_sms, me)
    page = client.post("/my/profile/phone/", {"phone": NEW}).content.decode()
    assert "获取验证码过于频繁" in page


def test_without_a_mobile_on_file_the_change_is_made_at_a_window(client, memory_sms):
    me = af.person(phone="010-12345678")
    sign_in(client, me)
    page = client.post("/my/profile/phone/", {"phone": NEW}).content.decode()
    assert "办事窗口" in page and not memory_sms.sent


def test_a_change_voids_codes_sent_to_the_old_mobile(memory_sms):
    me = af.person(phone=OLD)
    login = services.signin_code_request(purpose="login", id_number=me.id_number, phone=OLD)
    SignInCode.objects.update(created_at=login.challenge.created_at.replace(year=2000))
    result = services.phone_change_request(applicant=me, phone=NEW)
    services.phone_change_verify(
        applicant=me,
        challenge_id=result.challenge.pk,
        old_code=result.old_code,
        new_code=result.code,
    )
    with pytest.raises(ValidationError):
        services.signin_code_verify(challenge_id=login.challenge.pk, code=login.code)


def test_another_applicant_cannot_use_my_challenge(memory_sms):
    me, other = af.person(phone=OLD), af.person()
    result = services.phone_change_request(applicant=me, phone=NEW)
    with pytest.raises(ValidationError):
        services.phone_change_verify(
            applicant=other,
            challenge_id=result.challenge.pk,
            old_code=result.old_code,
            new_code=result.code,
        )
    other.refresh_from_db()
    assert other.phone != NEW


def test_a_window_clerk_corrects_the_mobile_and_it_is_audited():
    tree = of.tree()
    clerk = of.staff(tree["sub1"], Role.WINDOW_CLERK)
    me = af.person(phone=OLD)
    me = services.applicant_correct_at_window(applicant=me, actor=clerk, phone=NEW)
    assert me.phone == NEW
    event = AuditEvent.objects.get(action="applicant.correct_at_window", object_id=str(me.pk))
    assert event.actor_id == clerk.pk
    assert event.changes == {"phone": [OLD, NEW]}
    assert "核验" in event.note
    assert_old_mobile_told(me)


def test_only_window_clerks_correct_at_a_window():
    tree = of.tree()
    officer = of.staff(tree["sub1"], Role.DISCLOSURE_OFFICER)
    me = af.person(phone=OLD)
    for actor in (officer, me.audit_label, "系统：测试"):
        with pytest.raises(PermissionDenied):
            services.applicant_correct_at_window(applicant=me, actor=actor, phone=NEW)
    me.refresh_from_db()
    assert me.phone == OLD
