"""The cases part of the demo: at least 200 cases through the services, in every state, at
the three levels of centers, with each stop reason, licences and all delivery methods."""

import random

import pytest
from django.db import transaction
from django.urls import reverse

from sanyi.cases.choices import (
    CaseChannel,
    CaseStatus,
    DeliveryMethod,
    StopReason,
    WarningLevel,
)
from sanyi.cases.demo import load as cases_demo
from sanyi.cases.models import Case, ClockStop, Delivery, Extension
from sanyi.core.demo import DEMO_ACTOR, parts
from sanyi.licences.models import ELicence
from sanyi.orgs.models import User

pytestmark = pytest.mark.django_db


def _load(*names) -> None:
    rng = random.Random(2026)
    for part in parts():
        if part.name in names:
            part.run(actor=DEMO_ACTOR, rng=rng)


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    # Loaded once for the module inside a transaction that is rolled back at the end, so
    # the reference data of the test database (calendar, synonyms, areas) stays as it was.
    with django_db_blocker.unblock(), transaction.atomic():
        _load("orgs", "applicants", "catalog", "cases")
        yield
        transaction.set_rollback(True)


def test_at_least_200_cases_in_every_state(demo):
    cases = Case.objects.filter(form_data__demo=cases_demo.DEMO_MARK)
    assert cases.count() >= 200
    assert set(cases.values_list("status", flat=True)) == set(CaseStatus.values)
    assert cases_demo.is_loaded()


def test_every_level_of_center_and_channel(demo):
    cases = Case.objects.filter(form_data__demo=cases_demo.DEMO_MARK, center__isnull=False)
    kinds = set(cases.values_list("center__org_unit__kind", flat=True))
    assert kinds == {"district", "subdistrict", "community"}
    assert {CaseChannel.ONLINE, CaseChannel.WINDOW} <= set(
        Case.objects.values_list("channel", flat=True)
    )


def test_stops_extensions_warnings_licences_and_deliveries(demo):
    open_stops = set(
        ClockStop.objects.filter(restarted_on__isnull=True).values_list("reason", flat=True)
    )
    assert open_stops == set(StopReason.values)
    assert ClockStop.objects.filter(restarted_on__isnull=False).exists()
    assert Extension.objects.count() >= 3
    levels = set(
        Case.objects.filter(status=CaseStatus.IN_PROGRESS).values_list("warning_level", flat=True)
    )
    assert {WarningLevel.YELLOW, WarningLevel.RED} <= levels
    assert ELicence.objects.filter(case__isnull=False).count() >= 5
    delivered = set(
        Delivery.objects.filter(delivered_at__isnull=False).values_list("method", flat=True)
    )
    assert delivered == set(DeliveryMethod.values)
    assert Case.objects.filter(status=CaseStatus.DELIVERED, visits=0).exists()
    assert Case.objects.filter(status=CaseStatus.DELIVERED, visits__gte=2).exists()


def test_every_step_of_a_three_level_item_has_a_case(demo):
    cases = Case.objects.filter(
        implementation_item__base_item__name="高龄津贴申请", status=CaseStatus.IN_PROGRESS
    )
    units = set(cases.filter(tasks__status="open").values_list("tasks__unit__kind", flat=True))
    assert {"subdistrict", "department"} <= units


@pytest.mark.parametrize(
    "username, worklist",
    [
        ("approver.subdistrict", "work_unit"),
        ("clerk.community", "work_unit"),
        ("approver.district", "work_mine"),
        ("supervisor.district", "work_subtree"),
    ],
)
def test_demo_staff_see_work_on_their_pages(client, demo, settings, username, worklist):
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    client.force_login(User.objects.get(username=username))
    assert client.get(reverse("workbench:cases:home")).status_code == 200
    page = client.get(reverse(f"workbench:cases:{worklist}"))
    assert page.status_code == 200
    assert "没有符合条件的待办环节" not in page.content.decode()
    overdue = client.get(reverse("workbench:cases:work_overdue")).content.decode()
    assert "红灯超期" in overdue
    assert "没有亮灯的办件" not in overdue


def test_a_second_application_reuses_an_e_licence_without_an_upload(demo):
    from sanyi.cases.wallet import case_material_counts

    case = Case.objects.get(form_data__demo=cases_demo.DEMO_MARK, materials__origin="licence")
    row = case.materials.get(origin="licence")
    assert row.licence.holder_id == case.applicant_id and not row.file
    assert row.licence.case.implementation_item_id == case.implementation_item_id
    assert (
        case.status == CaseStatus.DRAFT
        and case.applicant.reuse_consents.filter(withdrawn_at__isnull=True).exists()
    )
    assert case_material_counts(case).reused >= 1


def test_every_demo_life_event_is_applied_for_once(demo):
    from sanyi.cases.models import Bundle

    bundles = {b.life_event.name: b for b in Bundle.objects.select_related("life_event")}
    assert set(bundles) == {"孩子出生", "退休", "开办餐饮店", "身后事"}
    birth = [m.case.implementation_item.base_item.name for m in bundles["孩子出生"].members.all()]
    assert birth.index("出生医学证明（首次签发）") < birth.index("出生登记")


def test_the_restaurant_bundle_started_its_waiting_members_with_the_licence(demo):
    from sanyi.cases.choices import MaterialOrigin
    from sanyi.cases.models import Bundle

    bundle = Bundle.objects.get(life_event__name="开办餐饮店")
    by_name = {m.case.implementation_item.base_item.name: m for m in bundle.members.all()}
    first = by_name["个体工商户设立登记"].case
    food = by_name["食品经营许可"]
    assert first.concluded_at is not None and food.started_at is not None
    licence = food.case.materials.get(name="营业执照")
    assert licence.origin == MaterialOrigin.RESULT
    assert licence.result_document.case_id == first.pk


def test_bundles_report_compares_with_item_by_item(demo):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("cases", "bundles-report", stdout=out)
    print(out.getvalue())  # the comparison, for the record (pytest -s)
    rows = {line.split("\t")[0]: line.split("\t") for line in out.getvalue().splitlines()}
    _name, items, forms, uploads, visits = rows["开办餐饮店"]
    assert (items, forms) == ("3", "3/1")
    assert int(visits.split("/")[1]) <= int(visits.split("/")[0])
    alone, once = (int(x) for x in uploads.split("/"))
    assert once < alone
