"""Applicant sign-in with an SMS code: the flow, wrong/expired codes, limits, no enumeration."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.applicants import services
from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.models import Applicant, SignInCode
from sanyi.applicants.tests import factories as af
from sanyi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db
LOGIN = "/my/login/"
VERIFY = "/my/login/code/"


def sent_code(memory_sms) -> str:
    return re.search(r"验证码(\d{6})", memory_sms.sent[-1].text).group(1)


def test_urls_are_mounted_under_my():
    assert reverse("applicants:login") == LOGIN
    assert reverse("applicants:verify") == VERIFY
    assert reverse("applicants:home") == "/my/"


def test_sign_in_with_number_phone_and_code(client, memory_sms):
    person = af.person(phone="10012340001")
    response = client.post(LOGIN, {"id_number": person.id_number, "phone": "100 1234 0001"})
    assert response.status_code == 302 and response.url == VERIFY
    assert [s.phone for s in memory_sms.sent] == ["10012340001"]
    response = client.post(VERIFY, {"code": sent_code(memory_sms)}, follow=True)
    assert client.session[SESSION_KEY] == person.pk
    page = response.content.decode()
    assert person.masked_id in page and person.id_number not in page
    assert AuditEvent.objects.filter(action="applicant.sign_in", object_id=str(person.pk)).exists()


def test_my_pages_ask_for_sign_in(client):
    response = client.get("/my/messages/")
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=%2Fmy%2Fmessages%2F"


def test_after_sign_in_the_visitor_goes_back_to_the_page_asked_for(client, memory_sms):
    person = af.person()
    client.post(
        f"{LOGIN}?next=/my/messages/",
        {"id_number": person.id_number, "phone": person.phone, "next": "/my/messages/"},
    )
    response = client.post(VERIFY, {"code": sent_code(memory_sms)})
    assert response.url == "/my/messages/"


def test_an_outside_next_address_is_ignored(client, memory_sms):
    person = af.person()
    client.post(
        LOGIN,
        {"id_number": person.id_number, "phone": person.phone, "next": "https://evil.example/"},
    )
    response = client.post(VERIFY, {"code": sent_code(memory_sms)})
    assert response.url == "/my/"


def test_a_wrong_pair_looks_the_same_and_sends_nothing(client, memory_sms):
    person = af.person(phone="10012340002")
    right = client.post(LOGIN, {"id_number": person.id_number, "phone": "10012340002"}, follow=True)
    wrong = client.post(LOGIN, {"id_number": af.resident_id(), "phone": "10012340003"}, follow=True)
    assert len(memory_sms.sent) == 1
    strip = lambda r: re.sub(r"csrfmiddlewaretoken\" value=\"[^\"]+", "", r.content.decode())  # noqa: E731
    assert strip(right) == strip(wrong)
    # ... and any code then fails the same way, tries counted.
    response = client.post(VERIFY, {"code": "123456"})
    assert "验证码不正确" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_wrong_code_counts_tries_and_the_fifth_wrong_try_kills_the_code(client, memory_sms):
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    good = sent_code(memory_sms)
    bad = f"{(int(good) + 1) % 1000000:06d}"
    response = client.post(VERIFY, {"code": bad})
    assert "还可以再试4次" in response.content.decode()
    for _ in range(4):
        client.post(VERIFY, {"code": bad})
    response = client.post(VERIFY, {"code": good})
    assert "输错次数过多" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_expired_code_is_refused():
    person = af.person()
    result = services.signin_code_request(
        purpose="login", id_number=person.id_number, phone=person.phone
    )
    later = timezone.now() + dt.timedelta(minutes=5, seconds=1)
    with pytest.raises(Exception, match="已过期"):
        services.signin_code_verify(challenge_id=result.challenge.pk, code=result.code, now=later)


def test_a_code_works_once():
    person = af.person()
    result = services.signin_code_request(
        purpose="login", id_number=person.id_number, phone=person.phone
    )
    assert services.signin_code_verify(challenge_id=result.challenge.pk, code=result.code) == person
    with pytest.raises(Exception, match="验证码不正确"):
        services.signin_code_verify(challenge_id=result.challenge.pk, code=result.code)


def test_only_a_hash_of_the_code_is_stored():
    person = af.person()
    result = services.signin_code_request(
        purpose="login", id_number=person.id_number, phone=person.phone
    )
    row = SignInCode.objects.get(pk=result.challenge.pk)
    assert result.code not in row.code_hash and len(row.code_hash) == 64


def test_codes_per_number_are_limited_and_spaced(settings):
    settings.SANYI_APPLICANT_CODES_PER_NUMBER = 3
    person = af.person()
    now = timezone.now()
    ask = lambda at: services.signin_code_request(  # noqa: E731
        purpose="login", id_number=person.id_number, phone=person.phone, now=at
    )
    ask(now)
    with pytest.raises(services.RateLimited):
        ask(now + dt.timedelta(seconds=30))  # within a minute of the last one
    SignInCode.objects.update(created_at=now - dt.timedelta(minutes=10))
    ask(now)
    SignInCode.objects.update(created_at=now - dt.timedelta(minutes=10))
    ask(now)
    SignInCode.objects.update(created_at=now - dt.timedelta(minutes=10))
    with pytest.raises(services.RateLimited):
        ask(now)  # the fourth in an hour
    SignInCode.objects.update(created_at=now - dt.timedelta(minutes=61))
    ask(now)  # an hour later it works again


def test_codes_per_address_are_limited_whatever_the_numbers(settings, client):
    settings.SANYI_APPLICANT_CODES_PER_IP = 2
    for _ in range(2):
        client.post(LOGIN, {"id_number": af.resident_id(), "phone": "10000000009"})
    response = client.post(LOGIN, {"id_number": af.resident_id(), "phone": "10000000008"})
    assert "过于频繁" in response.content.decode()
    assert SignInCode.objects.count() == 2


def test_sign_in_posts_per_address_are_capped(settings, client):
    settings.SANYI_LOGIN_IP_LIMIT = 2
    for _ in range(2):
        client.post(LOGIN, {"id_number": "x", "phone": "y"})
    assert client.post(LOGIN, {"id_number": "x", "phone": "y"}).status_code == 429


def test_first_time_applicant_registers_with_a_code(client, memory_sms):
    number = af.resident_id()
    response = client.post(
        "/my/register/", {"id_number": number, "name": "赵新", "phone": "10012340010"}
    )
    assert response.url == VERIFY
    client.post(VERIFY, {"code": sent_code(memory_sms)})
    applicant = Applicant.objects.get(id_number=number)
    assert (applicant.name, applicant.phone) == ("赵新", "10012340010")
    assert client.session[SESSION_KEY] == applicant.pk


def test_registering_a_known_number_with_another_phone_sends_nothing(client, memory_sms):
    person = af.person(phone="10012340011")
    response = client.post(
        "/my/register/", {"id_number": person.id_number, "name": "冒名", "phone": "10012340012"}
    )
    assert response.url == VERIFY  # the same next step as anyone else
    assert memory_sms.sent == []
    client.post(VERIFY, {"code": "000000"})
    person.refresh_from_db()
    assert person.phone == "10012340011" and person.name != "冒名"


def test_console_provider_shows_the_code_as_a_demo_notice(client, settings):
    settings.SANYI_SMS_PROVIDER = "console"
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    page = client.get(VERIFY).content.decode()
    assert "演示环境" in page
    code = re.search(r'class="secret">(\d{6})<', page).group(1)
    client.post(VERIFY, {"code": code})
    assert client.session[SESSION_KEY] == person.pk


def test_real_providers_never_show_the_code(client, memory_sms):
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    page = client.get(VERIFY).content.decode()
    assert "演示环境" not in page and sent_code(memory_sms) not in page


def test_console_codes_are_not_shown_in_production(client, settings):
    settings.SANYI_SMS_PROVIDER = "console"
    settings.PRODUCTION = True
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    assert "演示环境" not in client.get(VERIFY).content.decode()


def test_sign_out_keeps_nothing(client, memory_sms):
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    client.post(VERIFY, {"code": sent_code(memory_sms)})
    old_key = client.session.session_key
    client.post("/my/logout/")
    assert SESSION_KEY not in client.session
    assert client.session.session_key != old_key
    assert client.get("/my/").status_code == 302


def test_a_failing_sms_gateway_does_not_break_the_page(client, memory_sms):
    memory_sms.fail_with = ConnectionError("网关无响应")
    person = af.person()
    response = client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    assert response.status_code == 302 and response.url == VERIFY


def test_a_number_registered_by_someone_else_meanwhile_is_not_handed_over():
    number = af.resident_id()
    result = services.signin_code_request(
        purpose="register", id_number=number, phone="10012340301", name="甲"
    )
    af.person(id_number=number, name="乙", phone="10012340302")
    with pytest.raises(Exception, match="已经注册"):
        services.signin_code_verify(challenge_id=result.challenge.pk, code=result.code)
    assert Applicant.objects.get(id_number=number).phone == "10012340302"


def _failures():
    return list(AuditEvent.objects.filter(action="applicant.sign_in_failed").order_by("seq"))


def test_a_wrong_pair_at_sign_in_is_an_audit_record_with_numbers_masked(client, memory_sms):
    person = af.person(phone="10012340004")
    stranger_id = af.resident_id()

    client.post(LOGIN, {"id_number": stranger_id, "phone": "10012340004"})

    [event] = _failures()
    text = f"{event.actor_label} {event.object_repr} {event.changes} {event.note}"
    assert stranger_id not in text and "10012340004" not in text
    assert stranger_id[:4] in event.actor_label and "100****0004" in text
    assert event.changes["reason"] == "证件号码与手机号不匹配或尚未注册"
    assert event.ip == "127.0.0.1"
    assert person.id_number not in text


def test_every_wrong_code_is_an_audit_record(client, memory_sms):
    person = af.person()
    client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})
    good = sent_code(memory_sms)
    bad = f"{(int(good) + 1) % 1000000:06d}"

    for _ in range(6):
        client.post(VERIFY, {"code": bad}, HTTP_X_FORWARDED_FOR="198.51.100.1")

    events = _failures()
    assert [e.changes["reason"] for e in events] == ["验证码不正确"] * 5 + [
        "输错次数过多，这个验证码已失效，请重新获取"
    ]
    assert [e.changes["attempts"] for e in events] == [1, 2, 3, 4, 5, 5]
    # No trusted proxy is set: the header is the client's own and is not believed.
    assert {e.ip for e in events} == {"127.0.0.1"}
    assert all(person.id_number not in e.actor_label for e in events)


def test_an_expired_code_is_an_audit_record():
    person = af.person()
    result = services.signin_code_request(
        purpose="login", id_number=person.id_number, phone=person.phone
    )
    later = timezone.now() + dt.timedelta(minutes=5, seconds=1)

    with pytest.raises(Exception, match="已过期"):
        services.signin_code_verify(challenge_id=result.challenge.pk, code=result.code, now=later)

    [event] = _failures()
    assert event.changes["reason"] == "验证码已过期，请重新获取"
