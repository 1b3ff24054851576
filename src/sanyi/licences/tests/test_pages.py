"""E-licence pages: the public verification page (by number and by QR code) shows only the
masked holder, the dates and the status; the staff list, detail and revocation in scope."""

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.applicants.tests import factories as applicant_f
from sanyi.audit.models import AuditEvent
from sanyi.core.tests.error_summary import assert_error_summary
from sanyi.licences import services
from sanyi.licences.models import LicenceStatus
from sanyi.licences.selectors import licence_verify_path
from sanyi.licences.tests import factories as f

pytestmark = pytest.mark.django_db
VERIFY = reverse("licences:verify")
LIST = reverse("workbench:licences:list")


def _detail(licence):
    return reverse("workbench:licences:detail", args=[licence.pk])


def _revoke(licence):
    return reverse("workbench:licences:revoke", args=[licence.pk])


# --- public verification ------------------------------------------------------------------


def test_the_verification_page_starts_with_an_empty_form(client):
    page = client.get(VERIFY)

    assert page.status_code == 200
    body = page.content.decode()
    assert "输入证照编号" in body and "没有找到" not in body


def test_a_valid_licence_shows_masked_holder_dates_and_status(world, client):
    licence = f.licence(world)

    body = client.get(VERIFY, {"number": licence.number}).content.decode()

    assert "核验通过" in body and "有效" in body
    assert licence.number in body and "王**" in body and world["holder"].masked_id in body
    assert world["dept"].name in body
    assert "2026年3月2日" in body and "2031年3月1日" in body


def _secrets(world, licence):
    holder = world["holder"]
    return [
        holder.name,
        holder.id_number,
        holder.phone,
        licence.verification_code,
        licence.case.number,
        "预包装食品销售",  # the licence's details
        "证照被依法撤销秘密",  # the revocation reason
        world["approver"].username,
    ]


@pytest.mark.parametrize("how", ["number", "code"])
def test_the_public_page_shows_nothing_personal_or_internal(world, client, how):
    licence = f.licence(world, details={"经营项目": "预包装食品销售"})
    services.licence_revoke(licence=licence, reason="证照被依法撤销秘密", actor=world["approver"])
    url = licence_verify_path(licence) if how == "code" else f"{VERIFY}?number={licence.number}"

    body = client.get(url).content.decode()

    assert licence.number in body
    for secret in _secrets(world, licence):
        if how == "code" and secret == licence.verification_code:
            continue  # it is in the address the visitor typed, not in the page
        assert secret not in body, secret


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(name=st.text(alphabet="张王李赵欧阳司马诸葛明华小", min_size=2, max_size=5))
def test_whatever_the_holder_is_called_only_the_first_character_shows(world, client, name):
    with transaction.atomic():
        holder = applicant_f.person(name=name)
        licence = f.licence(world, case_=f.case(world, holder=holder))

        body = client.get(VERIFY, {"number": licence.number}).content.decode()

        assert name not in body and holder.id_number not in body
        assert name[0] + "*" * (len(name) - 1) in body
        transaction.set_rollback(True)


def test_a_revoked_licence_is_shown_as_not_usable(world, client):
    licence = f.revoked(world)

    body = client.get(VERIFY, {"number": licence.number}).content.decode()

    assert "已注销" in body and "不能作为有效证照使用" in body and "核验通过" not in body


def test_an_expired_licence_is_shown_as_expired(world, client):
    licence = f.licence(world, valid_from=dt.date(2020, 1, 1), valid_until=dt.date(2021, 1, 1))

    body = client.get(VERIFY, {"number": licence.number}).content.decode()

    assert "已过期" in body and "核验通过" not in body


def test_an_open_ended_licence_reads_long_term(world, client):
    licence = f.licence(world, valid_until=None)

    assert "长期" in client.get(VERIFY, {"number": licence.number}).content.decode()


def test_an_unknown_number_says_not_found(world, client):
    body = client.get(VERIFY, {"number": "NO-SUCH"}).content.decode()

    assert "没有找到这张证照" in body


def test_a_blank_number_asks_for_one(client):
    page = client.get(VERIFY, {"number": ""})

    assert page.status_code == 200 and "请填写证照编号" in page.content.decode()


def test_the_qr_code_page_shows_the_licence_without_the_search_form(world, client):
    licence = f.licence(world)

    page = client.get(licence_verify_path(licence))

    assert page.status_code == 200
    body = page.content.decode()
    assert licence.number in body and "核验通过" in body and "输入证照编号" not in body


def test_an_unknown_qr_code_is_not_found_and_offers_the_form(client):
    page = client.get(reverse("licences:verify_code", args=["not-a-code"]))

    assert page.status_code == 404 and "输入证照编号" in page.content.decode()


def test_verification_takes_only_get(client):
    assert client.post(VERIFY, {"number": "X"}).status_code == 405


@pytest.mark.parametrize("how", ["number", "code"])
def test_verification_is_rate_limited(world, client, settings, how):
    settings.SANYI_RATE_LIMITS = {"licence-verify": "3/10"}
    licence = f.licence(world)
    url = licence_verify_path(licence) if how == "code" else f"{VERIFY}?number={licence.number}"

    statuses = [client.get(url).status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]


def test_the_empty_form_does_not_count_against_the_limit(client, settings):
    settings.SANYI_RATE_LIMITS = {"licence-verify": "1/10"}

    assert [client.get(VERIFY).status_code for _ in range(3)] == [200, 200, 200]


def test_the_verification_page_has_bounded_queries(world, client, django_assert_max_num_queries):
    licence = f.licence(world)

    with django_assert_max_num_queries(3):
        client.get(VERIFY, {"number": licence.number})


# --- staff list ------------------------------------------------------------------------


def test_staff_without_a_licence_role_are_refused(world, client):
    client.force_login(world["nobody"])

    assert client.get(LIST).status_code == 403


def test_the_staff_list_needs_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_the_staff_list_holds_the_licences_issued_in_scope(world, client):
    mine = f.licence(world)
    theirs = f.licence(world, case_=f.case(world, version=world["version2"]))

    client.force_login(world["clerk"])
    body = client.get(LIST).content.decode()
    assert mine.number in body and theirs.number not in body
    client.force_login(world["outsider"])
    assert "没有符合条件的证照" in client.get(LIST).content.decode()


def test_the_staff_list_shows_the_holder_masked(world, client):
    f.licence(world)
    client.force_login(world["approver"])

    body = client.get(LIST).content.decode()

    assert "王**" in body and "王小明" not in body and world["holder"].id_number not in body


def test_the_staff_list_finds_by_licence_or_case_number(world, client):
    first, second = f.licence(world), f.licence(world)
    client.force_login(world["approver"])

    by_number = client.get(LIST, {"q": first.number.lower()}).content.decode()
    by_case = client.get(LIST, {"q": second.case.number}).content.decode()

    assert first.number in by_number and second.number not in by_number
    assert second.number in by_case and first.number not in by_case


def test_the_staff_list_queries_do_not_grow_with_licences(
    world, client, django_assert_max_num_queries
):
    f.licence(world)
    client.force_login(world["supervisor"])
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for _ in range(8):
        f.licence(world, case_=f.case(world, holder=applicant_f.person()))

    with django_assert_max_num_queries(len(few)):
        body = client.get(LIST).content.decode()

    assert body.count("LIC-") == 9


# --- staff detail and revocation -------------------------------------------------------------


@pytest.mark.parametrize("who", ["outsider", "nobody", "approver2"])
def test_the_detail_page_is_hidden_outside_the_scope(world, client, who):
    licence = f.licence(world)
    client.force_login(world[who])

    assert client.get(_detail(licence)).status_code == 404
    assert client.post(_revoke(licence), {"reason": "x"}).status_code == 404


def test_the_detail_page_links_to_the_public_qr_address(world, client):
    licence = f.licence(world)
    client.force_login(world["clerk"])

    body = client.get(_detail(licence)).content.decode()

    assert licence_verify_path(licence) in body and licence.case.number in body


@pytest.mark.parametrize(
    "who, offered",
    [("approver", True), ("district_approver", True), ("clerk", False), ("supervisor", False)],
)
def test_only_approvers_of_the_issuing_unit_are_offered_revocation(world, client, who, offered):
    licence = f.licence(world)
    client.force_login(world[who])

    body = client.get(_detail(licence)).content.decode()

    assert ("注销证照" in body) is offered


def test_a_revoked_licence_offers_no_revocation(world, client):
    licence = f.revoked(world)
    client.force_login(world["approver"])

    body = client.get(_detail(licence)).content.decode()

    assert "btn-danger" not in body and "证照被依法撤销" in body


@pytest.mark.parametrize("who", ["clerk", "supervisor"])
def test_staff_who_see_but_may_not_revoke_are_refused(world, client, who):
    licence = f.licence(world)
    client.force_login(world[who])

    response = client.post(_revoke(licence), {"reason": "撤销"})

    assert response.status_code == 403
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID


def test_the_approver_revokes_and_the_public_page_follows(world, client):
    licence = f.licence(world)
    client.force_login(world["approver"])

    response = client.post(_revoke(licence), {"reason": "证照被依法撤销"})

    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert AuditEvent.objects.get(action="licences.revoke").actor == world["approver"]
    client.logout()
    assert "已注销" in client.get(VERIFY, {"number": licence.number}).content.decode()


def test_revoking_without_a_reason_shows_the_error(world, client):
    licence = f.licence(world)
    client.force_login(world["approver"])

    page = client.post(_revoke(licence), {"reason": ""})

    assert page.status_code == 400 and "请填写注销原因" in page.content.decode()
    assert_error_summary(page, {"id_reason": "请填写注销原因"})
    assert not AuditEvent.objects.filter(action="licences.revoke").exists()


def test_revoking_twice_shows_the_error(world, client):
    licence = f.revoked(world)
    client.force_login(world["approver"])

    page = client.post(_revoke(licence), {"reason": "再次注销"})

    assert page.status_code == 400 and "该证照已注销" in page.content.decode()


def test_revocation_takes_only_post(world, client):
    licence = f.licence(world)
    client.force_login(world["approver"])

    assert client.get(_revoke(licence)).status_code == 405
