import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sanyi.applicants.tests import factories as applicant_factories
from sanyi.audit.models import AuditEvent
from sanyi.cases.models import Case
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.licences import services
from sanyi.licences.models import LicenceStatus
from sanyi.licences.selectors import licence_verify, licence_verify_path, licences_of
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db
SYSTEM = "系统：测试"


@pytest.fixture
def world():
    units = catalog_factories.org()
    version = catalog_factories.item(unit=units["dept"], status="published")
    holder = applicant_factories.person(name="王小明")
    return units, version, holder


def make_case(units, version, holder, n=1) -> Case:
    return Case.objects.create(
        number=f"TEST-{n:04d}",
        applicant=holder,
        implementation_item=version.implementation_item,
        item_version=version,
        channel="window",
        status="concluded",
        unit=units["district"],
        current_unit=units["dept"],
    )


def test_issue_numbers_per_unit_and_year_and_audits(world):
    units, version, holder = world
    first = services.licence_issue(
        case=make_case(units, version, holder, 1),
        name="食品经营许可证",
        valid_from=dt.date(2026, 3, 2),
        valid_until=dt.date(2031, 3, 1),
        actor=SYSTEM,
        issued_on=dt.date(2026, 3, 2),
    )
    second = services.licence_issue(
        case=make_case(units, version, holder, 2),
        name="食品经营许可证",
        valid_from=dt.date(2026, 3, 3),
        actor=SYSTEM,
        issued_on=dt.date(2026, 3, 3),
    )
    prefix = units["dept"].code or f"U{units['dept'].pk}"
    assert first.number == f"{prefix}-2026-000001"
    assert second.number == f"{prefix}-2026-000002"
    assert first.verification_code != second.verification_code
    assert AuditEvent.objects.filter(action="licences.issue").count() == 2


def test_one_licence_per_case_and_clear_errors(world):
    units, version, holder = world
    case = make_case(units, version, holder)
    services.licence_issue(case=case, name="许可证", valid_from=dt.date(2026, 1, 5), actor=SYSTEM)
    with pytest.raises(ValidationError) as exc:
        services.licence_issue(
            case=case, name="许可证", valid_from=dt.date(2026, 1, 5), actor=SYSTEM
        )
    assert "已核发" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.licence_issue(
            case=make_case(units, version, holder, 9),
            name=" ",
            valid_from=dt.date(2026, 1, 5),
            valid_until=dt.date(2025, 1, 5),
            actor=SYSTEM,
        )
    assert set(exc.value.message_dict) == {"name", "valid_until"}


def test_verify_shows_only_masked_holder_and_status(world, client):
    units, version, holder = world
    licence = services.licence_issue(
        case=make_case(units, version, holder),
        name="食品经营许可证",
        valid_from=dt.date(2026, 1, 5),
        valid_until=dt.date(2026, 6, 30),
        actor=SYSTEM,
    )
    found = licence_verify(number=licence.number.lower(), today=dt.date(2026, 5, 1))
    assert found.status == LicenceStatus.VALID and found.holder == "王**"
    assert holder.id_number not in found.holder_id
    assert licence_verify(code=licence.verification_code, today=dt.date(2026, 7, 1)).status == (
        LicenceStatus.EXPIRED
    )
    assert licence_verify(number="NO-SUCH") is None and licence_verify() is None

    page = client.get(licence_verify_path(licence))
    body = page.content.decode()
    assert page.status_code == 200 and licence.number in body and "王**" in body
    assert holder.id_number not in body and "王小明" not in body
    assert client.get(reverse("licences:verify_code", args=["nope"])).status_code == 404
    page = client.get(reverse("licences:verify"), {"number": "NO-SUCH"})
    assert "没有找到这张证照" in page.content.decode()

    api = client.get(reverse("api:licence-verify"), {"number": licence.number})
    assert api.status_code == 200 and api.json()["holder"] == "王**"
    assert client.get(reverse("api:licence-verify")).status_code == 400


def test_revoke_by_approver_of_issuing_unit_only(world, client):
    units, version, holder = world
    licence = services.licence_issue(
        case=make_case(units, version, holder),
        name="许可证",
        valid_from=dt.date(2026, 1, 5),
        actor=SYSTEM,
    )
    outsider = org_factories.staff(units["sub1"], Role.APPROVER)
    client.force_login(outsider)
    assert client.get(reverse("workbench:licences:detail", args=[licence.pk])).status_code == 404
    approver = org_factories.staff(units["dept"], Role.APPROVER)
    client.force_login(approver)
    page = client.post(reverse("workbench:licences:revoke", args=[licence.pk]), {"reason": ""})
    assert page.status_code == 400 and "请填写注销原因" in page.content.decode()
    response = client.post(
        reverse("workbench:licences:revoke", args=[licence.pk]), {"reason": "证照被依法撤销"}
    )
    assert response.status_code == 302
    licence.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED
    assert licence_verify(number=licence.number).status == LicenceStatus.REVOKED
    assert list(licences_of(holder, only_valid=True)) == []


def test_staff_list_is_scoped_with_bounded_queries(world, client, django_assert_max_num_queries):
    units, version, holder = world
    for n in range(5):
        services.licence_issue(
            case=make_case(units, version, holder, n),
            name="许可证",
            valid_from=dt.date(2026, 1, 5),
            actor=SYSTEM,
        )
    clerk = org_factories.staff(units["district"], Role.WINDOW_CLERK)
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("workbench:licences:list"))
    assert page.content.decode().count("TEST-") == 5
    client.force_login(org_factories.staff(units["sub1"], Role.WINDOW_CLERK))
    assert "TEST-" not in client.get(reverse("workbench:licences:list")).content.decode()
