"""When a code may not be sent yet, the page says how long to wait: the real time left
under the limit in effect (the gap between codes, codes per number or mobile per hour,
codes per address per hour), in seconds or minutes."""

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.applicants import services
from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.models import SignInCode
from sanyi.applicants.tests import factories as af

pytestmark = pytest.mark.django_db
LOGIN = "/my/login/"


def _ask(person, at, **kw):
    result = services.signin_code_request(
        purpose="login", id_number=person.id_number, phone=person.phone, now=at, **kw
    )
    # the row's time is set on save; put it where the test's clock says
    SignInCode.objects.filter(pk=result.challenge.pk).update(created_at=at)
    return result


def _limited(person, at, **kw) -> services.RateLimited:
    with pytest.raises(services.RateLimited) as exc:
        _ask(person, at, **kw)
    return exc.value


def test_the_gap_between_two_codes_is_told_in_seconds(settings, memory_sms):
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 60
    person = af.person()
    now = timezone.now()
    _ask(person, now)

    limited = _limited(person, now + dt.timedelta(seconds=20))

    assert limited.wait == dt.timedelta(seconds=40)
    assert limited.message == "获取验证码过于频繁，请40秒后再试。"


def test_codes_per_hour_are_told_in_minutes_until_the_oldest_counts_no_more(settings, memory_sms):
    settings.SANYI_APPLICANT_CODES_PER_NUMBER = 2
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 0
    person = af.person()
    now = timezone.now()
    _ask(person, now - dt.timedelta(minutes=50))
    _ask(person, now - dt.timedelta(minutes=10))

    limited = _limited(person, now)

    assert limited.wait == dt.timedelta(minutes=10)
    assert limited.wait_text == "10分钟"
    _ask(person, now + dt.timedelta(minutes=10, seconds=1))  # and then it works


def test_a_wait_of_part_of_a_minute_is_rounded_up(settings, memory_sms):
    settings.SANYI_APPLICANT_CODES_PER_NUMBER = 1
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 0
    person = af.person()
    now = timezone.now()
    _ask(person, now - dt.timedelta(minutes=57, seconds=30))

    assert _limited(person, now).wait_text == "3分钟"


def test_the_longest_wait_in_effect_is_told(settings, memory_sms):
    settings.SANYI_APPLICANT_CODES_PER_IP = 1
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 60
    someone, person = af.person(), af.person()
    now = timezone.now()
    _ask(someone, now - dt.timedelta(minutes=30), ip="203.0.113.9")

    limited = _limited(person, now, ip="203.0.113.9")

    assert limited.wait == dt.timedelta(minutes=30)


def test_the_sign_in_page_states_the_real_wait(settings, client, memory_sms):
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 600
    person = af.person()
    _ask(person, timezone.now())
    SignInCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=5))

    page = client.post(LOGIN, {"id_number": person.id_number, "phone": person.phone})

    assert "获取验证码过于频繁，请5分钟后再试。" in page.content.decode()


def test_the_phone_change_page_states_the_real_wait(settings, client, memory_sms):
    settings.SANYI_APPLICANT_CODE_INTERVAL_SECONDS = 600
    me = af.person(phone="10012340100")
    services.phone_change_request(applicant=me, phone="10012340200")
    SignInCode.objects.update(created_at=timezone.now() - dt.timedelta(minutes=4))
    session = client.session
    session[SESSION_KEY] = me.pk
    session.save()

    page = client.post("/my/profile/phone/", {"phone": "10012340300"})

    assert "获取验证码过于频繁，请6分钟后再试。" in page.content.decode()
