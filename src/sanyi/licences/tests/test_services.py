"""Issuing and revoking e-licences: numbering per unit and year, one per case, clear errors,
revocation by the issuing unit's approvers only, every write audited under its actor."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.audit.models import AuditEvent
from sanyi.licences import services
from sanyi.licences.models import ELicence, LicenceCounter, LicenceStatus
from sanyi.licences.tests import factories as f
from sanyi.orgs import services as org_services

pytestmark = pytest.mark.django_db
D = dt.date


def _prefix(unit):
    return unit.code or f"U{unit.pk}"


# --- issue ------------------------------------------------------------------------------


def test_a_licence_is_issued_to_the_cases_applicant_by_the_implementing_unit(world):
    case = f.case(world)

    licence = f.licence(
        world,
        case_=case,
        name=" 食品经营许可证 ",
        details={"经营项目": "预包装食品销售"},
    )

    assert licence.name == "食品经营许可证"
    assert licence.holder == world["holder"] and licence.case == case
    assert licence.issuing_unit == world["dept"]
    assert (licence.issued_on, licence.valid_from, licence.valid_until) == (
        D(2026, 3, 2),
        D(2026, 3, 2),
        D(2031, 3, 1),
    )
    assert licence.status == LicenceStatus.VALID
    assert licence.details == {"经营项目": "预包装食品销售"}


def test_a_licence_is_issued_today_unless_told_otherwise(world):
    licence = services.licence_issue(
        case=f.case(world), name="许可证", valid_from=D(2026, 1, 5), actor=f.SYSTEM
    )

    assert licence.issued_on == timezone.localdate()
    assert licence.number.split("-")[-2] == str(timezone.localdate().year)


def test_a_licence_without_end_date_is_open_ended(world):
    assert f.licence(world, valid_until=None).valid_until is None


def test_the_verification_code_is_random_and_long_enough_not_to_be_guessed(world):
    codes = {f.licence(world).verification_code for _ in range(5)}

    assert len(codes) == 5 and all(len(code) >= 20 for code in codes)


def test_issuing_is_audited_under_the_actor_with_the_masked_holder(world):
    case = f.case(world)

    licence = f.licence(world, case_=case, actor=world["approver"])

    row = AuditEvent.objects.get(action="licences.issue", object_id=str(licence.pk))
    assert row.actor == world["approver"]
    assert row.changes == {"case": case.number, "holder": world["holder"].masked_id}
    assert world["holder"].id_number not in str(row.changes)


def test_issuing_by_the_system_is_audited_under_its_label(world):
    licence = f.licence(world, actor="系统：数据同步")

    row = AuditEvent.objects.get(action="licences.issue", object_id=str(licence.pk))
    assert row.actor is None and row.actor_label == "系统：数据同步"


def test_a_case_gets_only_one_licence(world):
    case = f.case(world)
    first = f.licence(world, case_=case)

    with pytest.raises(ValidationError) as exc:
        f.licence(world, case_=case)

    assert exc.value.message_dict == {"case": [f"办件 {case.number} 已核发过电子证照"]}
    assert ELicence.objects.filter(case=case).get() == first
    # the refused issue took no number
    assert LicenceCounter.objects.get(unit=world["dept"], year=2026).last == 1


def test_a_licence_needs_a_name(world):
    with pytest.raises(ValidationError) as exc:
        f.licence(world, name="  ")

    assert exc.value.message_dict == {"name": ["请填写证照名称"]}
    assert not ELicence.objects.exists()


def test_the_validity_cannot_end_before_it_starts(world):
    with pytest.raises(ValidationError) as exc:
        f.licence(world, valid_from=D(2026, 3, 2), valid_until=D(2026, 3, 1))

    assert exc.value.message_dict == {"valid_until": ["有效期止不能早于有效期起"]}


def test_a_one_day_validity_is_allowed(world):
    licence = f.licence(world, valid_from=D(2026, 3, 2), valid_until=D(2026, 3, 2))

    assert licence.valid_until == licence.valid_from


def test_all_issue_errors_come_together_and_nothing_is_written(world):
    with pytest.raises(ValidationError) as exc:
        f.licence(world, name="", valid_from=D(2026, 3, 2), valid_until=D(2025, 3, 2))

    assert set(exc.value.message_dict) == {"name", "valid_until"}
    assert not AuditEvent.objects.filter(action="licences.issue").exists()
    assert not LicenceCounter.objects.exists()


def test_a_long_name_is_cut_at_200_characters(world):
    assert f.licence(world, name="证" * 250).name == "证" * 200


# --- numbering --------------------------------------------------------------------------


def test_numbers_run_per_unit_and_restart_each_year(world):
    a1 = f.licence(world, issued_on=D(2026, 3, 2))
    b1 = f.licence(world, case_=f.case(world, version=world["version2"]), issued_on=D(2026, 3, 2))
    a2 = f.licence(world, issued_on=D(2026, 12, 31))
    a3 = f.licence(world, issued_on=D(2027, 1, 4), valid_from=D(2027, 1, 4))

    dept, dept2 = _prefix(world["dept"]), _prefix(world["dept2"])
    assert [a1.number, a2.number, a3.number] == [
        f"{dept}-2026-000001",
        f"{dept}-2026-000002",
        f"{dept}-2027-000001",
    ]
    assert b1.number == f"{dept2}-2026-000001"


def test_the_number_starts_with_the_units_own_code(world):
    org_services.org_unit_update(actor=f.SYSTEM, unit=world["dept"], code="SCJGJ")
    world["version"].implementation_item.implementing_unit.refresh_from_db()

    assert f.licence(world).number == "SCJGJ-2026-000001"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    issues=st.lists(
        st.tuples(st.sampled_from(["version", "version2"]), st.sampled_from([2025, 2026, 2027])),
        min_size=1,
        max_size=10,
    )
)
def test_numbers_count_one_by_one_per_unit_and_year_whatever_the_order(world, issues):
    with transaction.atomic():
        # when
        issued = [
            f.licence(
                world,
                case_=f.case(world, version=world[version]),
                issued_on=D(year, 6, 1),
                valid_from=D(year, 6, 1),
            )
            for version, year in issues
        ]

        # then
        seen: dict[tuple[int, int], int] = {}
        for licence, (version, year) in zip(issued, issues, strict=True):
            unit = world[version].implementation_item.implementing_unit
            seen[unit.pk, year] = seen.get((unit.pk, year), 0) + 1
            assert licence.number == f"{_prefix(unit)}-{year}-{seen[unit.pk, year]:06d}"
        assert len({licence.number for licence in issued}) == len(issued)
        for (unit_pk, year), count in seen.items():
            assert LicenceCounter.objects.get(unit_id=unit_pk, year=year).last == count
        transaction.set_rollback(True)


# --- revoke -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["approver", "district_approver"])
def test_an_approver_of_the_issuing_unit_or_above_revokes(world, who):
    licence = f.licence(world)

    done = services.licence_revoke(licence=licence, reason=" 证照被依法撤销 ", actor=world[who])

    assert done.status == LicenceStatus.REVOKED
    assert done.revoked_reason == "证照被依法撤销"
    row = AuditEvent.objects.get(action="licences.revoke", object_id=str(licence.pk))
    assert row.actor == world[who]
    assert row.changes == {"status": ["valid", "revoked"]} and row.note == "证照被依法撤销"


@pytest.mark.parametrize("who", ["approver2", "clerk", "supervisor", "outsider", "nobody"])
def test_nobody_else_may_revoke(world, who):
    licence = f.licence(world)

    with pytest.raises(PermissionDenied, match="发证单位的审批人员"):
        services.licence_revoke(licence=licence, reason="撤销", actor=world[who])

    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID
    assert not AuditEvent.objects.filter(action="licences.revoke").exists()


def test_a_system_actor_may_not_revoke(world):
    with pytest.raises(PermissionDenied):
        services.licence_revoke(licence=f.licence(world), reason="撤销", actor=f.SYSTEM)


def test_revoking_needs_a_reason(world):
    licence = f.licence(world)

    with pytest.raises(ValidationError) as exc:
        services.licence_revoke(licence=licence, reason="  ", actor=world["approver"])

    assert exc.value.message_dict == {"reason": ["请填写注销原因"]}
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.VALID


def test_a_licence_is_revoked_only_once(world):
    licence = f.revoked(world)

    with pytest.raises(ValidationError, match="已注销"):
        services.licence_revoke(licence=licence, reason="再次注销", actor=world["approver"])

    licence.refresh_from_db()
    assert licence.revoked_reason == "证照被依法撤销"
    assert AuditEvent.objects.filter(action="licences.revoke").count() == 1


def test_a_long_reason_is_cut_at_300_characters(world):
    done = services.licence_revoke(
        licence=f.licence(world), reason="因" * 400, actor=world["approver"]
    )

    assert done.revoked_reason == "因" * 300


def test_an_expired_licence_can_still_be_revoked(world):
    licence = f.licence(world, valid_from=D(2020, 1, 1), valid_until=D(2021, 1, 1))

    done = services.licence_revoke(licence=licence, reason="撤销", actor=world["approver"])

    assert done.status_on(D(2026, 1, 1)) == LicenceStatus.REVOKED
