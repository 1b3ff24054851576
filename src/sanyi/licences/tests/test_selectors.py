"""Reading e-licences: what verification returns, expiry, the holder's wallet, staff scope."""

import datetime as dt

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from sanyi.applicants.tests import factories as applicant_f
from sanyi.licences.models import ELicence, LicenceStatus
from sanyi.licences.selectors import (
    PublicLicence,
    can_read_licences,
    licence_verify,
    licence_verify_path,
    licences_of,
    licences_visible_to,
)
from sanyi.licences.tests import factories as f
from sanyi.orgs import services as org_services

pytestmark = pytest.mark.django_db
D = dt.date


# --- expiry -----------------------------------------------------------------------------


@given(
    until=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2035, 12, 31))),
    day=st.dates(D(2020, 1, 1), D(2035, 12, 31)),
)
def test_a_valid_licence_reads_expired_exactly_after_its_last_day(until, day):
    licence = ELicence(status=LicenceStatus.VALID, valid_until=until)

    expected = LicenceStatus.EXPIRED if until is not None and day > until else LicenceStatus.VALID
    assert licence.status_on(day) == expected


@given(
    until=st.one_of(st.none(), st.dates(D(2020, 1, 1), D(2035, 12, 31))),
    day=st.dates(D(2020, 1, 1), D(2035, 12, 31)),
)
def test_a_revoked_licence_reads_revoked_whatever_the_day(until, day):
    licence = ELicence(status=LicenceStatus.REVOKED, valid_until=until)

    assert licence.status_on(day) == LicenceStatus.REVOKED


# --- verification -----------------------------------------------------------------------


def test_verification_by_number_returns_only_the_public_fields(world):
    licence = f.licence(world)

    found = licence_verify(number=licence.number, today=D(2026, 5, 1))

    assert found == PublicLicence(
        name="食品经营许可证",
        number=licence.number,
        holder="王**",
        holder_id=world["holder"].masked_id,
        issuing_unit=world["dept"].name,
        issued_on=D(2026, 3, 2),
        valid_from=D(2026, 3, 2),
        valid_until=D(2031, 3, 1),
        status="valid",
        status_label="有效",
    )


def test_an_organisations_name_is_shown_in_full(world):
    company = applicant_f.organisation(name="三一餐饮有限公司")
    licence = f.licence(world, case_=f.case(world, holder=company))

    found = licence_verify(number=licence.number)

    assert found.holder == "三一餐饮有限公司"
    assert found.holder_id == company.masked_id != company.id_number


def test_verification_by_the_qr_code(world):
    licence = f.licence(world)

    assert licence_verify(code=licence.verification_code).number == licence.number


def test_a_number_is_found_whatever_the_case_or_spaces_typed(world):
    licence = f.licence(world)

    assert licence_verify(number=f"  {licence.number.lower()} ").number == licence.number


def test_a_number_with_a_lower_case_unit_code_is_found_as_printed(world):
    # unit codes are free text: an imported sheet may give "scjgj"
    org_services.org_unit_update(actor=f.SYSTEM, unit=world["dept"], code="scjgj")
    world["version"].implementation_item.implementing_unit.refresh_from_db()
    licence = f.licence(world)
    assert licence.number == "scjgj-2026-000001"

    assert licence_verify(number="scjgj-2026-000001").number == licence.number
    assert licence_verify(number="SCJGJ-2026-000001").number == licence.number


def test_an_ambiguous_case_insensitive_number_is_not_guessed(world):
    org_services.org_unit_update(actor=f.SYSTEM, unit=world["dept"], code="ab")
    org_services.org_unit_update(actor=f.SYSTEM, unit=world["dept2"], code="Ab")
    world["version"].implementation_item.implementing_unit.refresh_from_db()
    world["version2"].implementation_item.implementing_unit.refresh_from_db()
    lower = f.licence(world)
    mixed = f.licence(world, case_=f.case(world, version=world["version2"]))

    assert licence_verify(number="ab-2026-000001").number == lower.number
    assert licence_verify(number="Ab-2026-000001").number == mixed.number
    assert licence_verify(number="aB-2026-000001") is None


def test_a_wrong_code_does_not_fall_back_to_nothing_when_a_number_is_given(world):
    licence = f.licence(world)

    assert licence_verify(number=licence.number, code="wrong").number == licence.number


@pytest.mark.parametrize(
    "kw", [{}, {"number": " "}, {"number": "NO-SUCH"}, {"code": "nope"}, {"code": " "}]
)
def test_nothing_is_found_for_empty_or_unknown_input(world, kw):
    f.licence(world)

    assert licence_verify(**kw) is None


def test_an_expired_and_a_revoked_licence_say_so(world):
    expiring = f.licence(world, valid_from=D(2026, 1, 5), valid_until=D(2026, 6, 30))
    revoked = f.revoked(world)

    on_last_day = licence_verify(number=expiring.number, today=D(2026, 6, 30))
    after = licence_verify(number=expiring.number, today=D(2026, 7, 1))
    gone = licence_verify(number=revoked.number)

    assert on_last_day.status == "valid"
    assert (after.status, after.status_label) == ("expired", "已过期")
    assert (gone.status, gone.status_label) == ("revoked", "已注销")


def test_the_qr_path_is_the_public_code_page(world):
    licence = f.licence(world)

    assert licence_verify_path(licence) == f"/licences/v/{licence.verification_code}/"


# --- the holder's wallet and staff scope ------------------------------------------------


def test_the_wallet_lists_the_holders_licences_newest_first(world):
    older = f.licence(world, issued_on=D(2026, 1, 5))
    newer = f.licence(world, issued_on=D(2026, 3, 2))
    f.licence(world, case_=f.case(world, holder=applicant_f.person()))

    assert list(licences_of(world["holder"])) == [newer, older]


def test_the_wallet_of_valid_licences_leaves_out_revoked_and_expired(world):
    today = timezone.localdate()
    valid = f.licence(world, valid_from=D(2026, 1, 5), valid_until=today)
    open_ended = f.licence(world, valid_until=None)
    f.licence(world, valid_from=D(2020, 1, 1), valid_until=today - dt.timedelta(days=1))
    f.revoked(world)

    assert set(licences_of(world["holder"], only_valid=True)) == {valid, open_ended}


def test_staff_see_the_licences_issued_in_their_scope(world):
    mine = f.licence(world)
    theirs = f.licence(world, case_=f.case(world, version=world["version2"]))

    assert set(licences_visible_to(world["clerk"])) == {mine}
    assert set(licences_visible_to(world["approver2"])) == {theirs}
    assert set(licences_visible_to(world["supervisor"])) == {mine, theirs}
    assert not licences_visible_to(world["outsider"]).exists()
    assert not licences_visible_to(world["nobody"]).exists()


def test_who_reads_licences(world):
    assert all(can_read_licences(world[w]) for w in ("clerk", "approver", "supervisor"))
    assert not can_read_licences(world["nobody"])
