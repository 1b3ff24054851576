import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanyi.audit.models import AuditEvent
from sanyi.core.demo import DEMO_ACTOR, DemoResult, parts, register
from sanyi.orgs import permissions
from sanyi.orgs.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_HEX
from sanyi.orgs.models import OrgKind, OrgUnit, Role, ServiceCenter, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker):
    """Load the demo once for this module (it takes a few seconds) and remove it after."""
    from io import StringIO

    with django_db_blocker.unblock():
        from django.db import transaction

        out = StringIO()
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("demo", "load", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def test_orgs_part_is_registered_first():
    assert parts()[0].name == "orgs"


def test_demo_tree_has_the_promised_size_and_names(loaded):
    district = OrgUnit.objects.get(division_code="990101000000")
    assert district.name == "示范区" and "演示" in district.notes
    count = lambda kind: OrgUnit.objects.filter(kind=kind).count()  # noqa: E731
    assert count(OrgKind.SUBDISTRICT) == 6
    assert count(OrgKind.COMMUNITY) >= 30
    assert count(OrgKind.DEPARTMENT) >= 15
    assert count(OrgKind.GRID) >= 10
    assert count(OrgKind.STATION) >= 12
    assert set(
        OrgUnit.objects.filter(kind=OrgKind.SUBDISTRICT, is_rural=True).values_list(
            "name", flat=True
        )
    ) == {"北岭镇", "清河镇"}
    assert OrgUnit.objects.get(name="翠苑社区").parent.name == "城关街道"
    assert OrgUnit.objects.get(name="区残疾人联合会").kind == OrgKind.DEPARTMENT
    assert (
        not OrgUnit.objects.exclude(division_code="")
        .exclude(division_code__startswith="990101")
        .exists()
    )


def test_every_territorial_unit_has_a_service_center(loaded):
    assert ServiceCenter.objects.get(name="示范区政务服务中心").windows.count() == 10
    for unit in OrgUnit.objects.filter(kind__in=[OrgKind.SUBDISTRICT, OrgKind.COMMUNITY]):
        suffix = "便民服务中心" if unit.kind == OrgKind.SUBDISTRICT else "便民服务站"
        center = ServiceCenter.objects.get(org_unit=unit, name=f"{unit.name}{suffix}")
        assert center.address and center.opening_hours and center.windows.exists()


@pytest.mark.parametrize("role", Role.values)
@pytest.mark.parametrize(
    "level,unit", [("district", "示范区"), ("subdistrict", "城关街道"), ("community", "翠苑社区")]
)
def test_demo_login_for_every_role_and_level(loaded, role, level, unit):
    alias = {
        "system_admin": "admin",
        "catalog_admin": "catalog",
        "disclosure_officer": "disclosure",
        "window_clerk": "clerk",
        "grid_officer": "grid",
    }.get(role, role)
    user = User.objects.get(username=f"{alias}.{level}")
    assert user.check_password(DEMO_PASSWORD)
    assert permissions.has_role(user, role, OrgUnit.objects.get(name=unit))
    assert f"{alias}.{level}" in loaded


def test_system_admins_have_the_demo_totp_key(loaded):
    admins = User.objects.filter(role_assignments__role=Role.SYSTEM_ADMIN)
    keys = set(
        TOTPDevice.objects.filter(user__in=admins, confirmed=True).values_list("key", flat=True)
    )
    assert keys == {DEMO_TOTP_KEY_HEX}
    assert "otpauth://totp/" in loaded and "secret=GEZDGNBVGY3TQOJQ" in loaded


def test_everything_is_audited_by_the_demo_actor(loaded):
    units = OrgUnit.objects.count()
    created = AuditEvent.objects.filter(actor_label=DEMO_ACTOR, action="org_unit.create").count()
    assert created == units


def test_loading_twice_changes_nothing(loaded):
    from io import StringIO

    before = (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count())
    out = StringIO()
    call_command("demo", "load", stdout=out)
    assert "已经加载过" in out.getvalue()
    assert (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == before


def test_registered_parts_run_in_order_and_skip_when_loaded(loaded):
    calls = []

    def part(*, actor, rng):
        calls.append(actor)
        return DemoResult(summary="ok")

    register(order=99, name="test-part", load=part, is_loaded=lambda: bool(calls))
    try:
        call_command("demo", "load", stdout=__import__("io").StringIO())
        call_command("demo", "load", stdout=__import__("io").StringIO())
    finally:
        from sanyi.core import demo

        demo._parts.pop("test-part")
    assert calls == [DEMO_ACTOR]


def test_grid_work_in_the_demo(loaded):
    """翠苑社区's four grids with two officers each, the address mapping placing the demo
    applicants, and doorstep steps in some officer's 今日任务."""
    from sanyi.grid import selectors as grid_selectors
    from sanyi.grid.models import AddressRule

    grids = list(OrgUnit.objects.filter(kind=OrgKind.GRID, name__startswith="翠苑社区"))
    assert len(grids) == 4
    officers = grid_selectors.grid_officers(grids)
    assert all(len(officers[g.pk]) == 2 for g in grids)
    assert AddressRule.objects.filter(grid__in=grids).count() >= 10
    for username in ("grid2a.grid", "grid4b.grid"):
        assert username in loaded
    assert grid_selectors.grid_of_address("示范区翠苑路3号").name == "翠苑社区第一网格"
    assert grid_selectors.grid_of_address("示范区翠苑路4号").name == "翠苑社区第二网格"
    with_tasks = [
        u
        for u in User.objects.filter(username__endswith=".grid")
        if grid_selectors.grid_tasks(u).exists()
    ]
    assert with_tasks, "no grid officer has a doorstep task in the demo"


def test_grid_events_in_the_demo_cover_every_state(loaded):
    """Ten event reports in 翠苑社区's grids, in every state, the offer told to a resident."""
    from sanyi.grid.models import EventReport, EventStatus

    events = EventReport.objects.filter(grid__name__startswith="翠苑社区")
    assert events.count() == 10
    assert set(events.values_list("status", flat=True)) == set(EventStatus.values)
    offer = events.get(status=EventStatus.TO_OFFER)
    assert offer.applicant is not None and offer.offer_item


def test_visit_log_in_the_demo(loaded):
    """200 households in 翠苑社区's grids, about 30 doorstep steps at the grids, 20 visits
    (doorstep and visit-log), some households overdue, and the grid officers still listed."""
    from django.utils import timezone

    from sanyi.applicants.models import Applicant
    from sanyi.cases.models import CaseTask
    from sanyi.grid import selectors as grid_selectors
    from sanyi.grid.demo_visits import household_mobile
    from sanyi.grid.models import HouseholdVisit, Visit

    households = Applicant.objects.filter(phone__startswith=household_mobile(0)[:6])
    assert households.count() == 200
    assert not households.filter(grid__isnull=True).exists()
    assert (
        households.filter(grid__name__startswith="翠苑社区").values("grid").distinct().count() == 4
    )
    assert CaseTask.objects.filter(unit__kind=OrgKind.GRID).count() >= 30
    assert Visit.objects.count() + HouseholdVisit.objects.count() >= 20
    assert Visit.objects.exists() and HouseholdVisit.objects.exists()
    assert HouseholdVisit.objects.filter(next_due_on__lt=timezone.localdate()).exists()
    officer = User.objects.get(username="grid.community")
    assert grid_selectors.household_list(viewer=officer, due="overdue").exists()
    for username in ("grid1b.grid", "grid3a.grid"):
        assert username in loaded


def test_a_help_to_apply_case_in_the_demo(loaded):
    """One application a grid officer made for a household (帮办代办), with zero visits."""
    from sanyi.cases.models import Case

    assisted = Case.objects.filter(assisted_by__isnull=False)
    assert assisted.count() == 1
    case = assisted.get()
    assert case.visits == 0 and case.number in loaded
    assert case.grid_assist.consent_method == "photo"


def test_proactive_rules_offer_something_to_demo_residents(loaded):
    """The demo's published rules fire right after loading (dry run: nothing written)."""
    from django.utils import timezone

    from sanyi.proactive.services import proactive_run

    plans = proactive_run(on=timezone.localdate(), actor=DEMO_ACTOR, dry_run=True)
    assert {"elderly-60", "elderly-80"} <= {plan.rule_code for plan in plans}


def test_demo_elder_receives_an_auto_case_to_confirm(loaded):
    """高龄津贴 is 免申即享 in the demo: the run opens 钱德寿's application, as a draft
    waiting for his confirmation (rolled back afterwards: other tests see the demo as loaded)."""
    from django.db import transaction
    from django.utils import timezone

    from sanyi.proactive.models import ProactiveOffer
    from sanyi.proactive.services import proactive_run

    with transaction.atomic():
        proactive_run(on=timezone.localdate(), actor=DEMO_ACTOR)
        offer = ProactiveOffer.objects.select_related("case", "applicant").get(
            rule_code="elderly-80", applicant__name="钱德寿"
        )
        assert offer.case is not None and offer.case.status == "draft"
        transaction.set_rollback(True)
