"""What a catalogue admin may maintain: exactly the codes of the units in their subtrees,
whatever roles they hold where (a property test), and the list's filters and lint counts."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.catalog.admin_selectors import (
    AdminItemFilters,
    admin_item_page,
    admin_units,
    admin_versions,
    is_catalog_admin,
    review_queue,
)
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import OrgKind, Role, RoleAssignment
from sanyi.orgs.permissions import forget_roles
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db
UNIT_NAMES = ["district", "sub1", "sub2", "comm1", "dept", "station"]


@pytest.fixture
def catalogue():
    """A district (with a USCC, so every unit below can be issued codes) and one draft
    item per unit."""
    district = org_factories.district(uscc=org_factories.unique_uscc())
    units = {"district": district}
    units["sub1"] = org_factories.unit(district, OrgKind.SUBDISTRICT)
    units["sub2"] = org_factories.unit(district, OrgKind.SUBDISTRICT)
    units["comm1"] = org_factories.unit(units["sub1"], OrgKind.COMMUNITY)
    units["dept"] = org_factories.unit(
        district, OrgKind.DEPARTMENT, uscc=org_factories.unique_uscc()
    )
    units["station"] = org_factories.unit(units["dept"], OrgKind.STATION)
    versions = {
        name: f.item(unit=unit, item_type="20", level="6" if name == "comm1" else "4")
        for name, unit in units.items()
    }
    viewer = org_factories.staff(units["sub2"], Role.WINDOW_CLERK)
    return units, versions, viewer


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(held=st.sets(st.sampled_from(UNIT_NAMES)), other=st.sets(st.sampled_from(UNIT_NAMES)))
def test_admin_sees_exactly_the_codes_under_the_units_of_the_role(catalogue, held, other):
    units, versions, viewer = catalogue
    RoleAssignment.objects.filter(user=viewer).exclude(role=Role.WINDOW_CLERK).delete()
    for name in held:
        RoleAssignment.objects.create(user=viewer, org_unit=units[name], role=Role.CATALOG_ADMIN)
    for name in other:  # other roles never widen the catalogue scope
        RoleAssignment.objects.create(user=viewer, org_unit=units[name], role=Role.APPROVER)
    forget_roles(viewer)

    paths = [units[name].path for name in held]
    expected = {
        v.pk
        for v in versions.values()
        if any(v.implementation_item.implementing_unit.path.startswith(p) for p in paths)
    }
    assert set(admin_versions(viewer).values_list("pk", flat=True)) == expected
    page = admin_item_page(viewer=viewer, filters=AdminItemFilters(), per_page=100)
    assert {row.version.pk for row in page.object_list} == expected
    assert is_catalog_admin(viewer) == bool(held)
    assert set(admin_units(viewer)) == {
        u for u in units.values() if any(u.path.startswith(p) for p in paths)
    }


def test_lint_counts_and_filter():
    units = f.org()
    clean = f.item(unit=units["dept"], author=units["author"])
    broken = f.item(
        unit=units["dept"],
        author=units["author"],
        guide=f.good_guide(acceptance_conditions="", complaint_phone=""),
    )
    rows = admin_item_page(viewer=units["author"], filters=AdminItemFilters()).object_list
    counts = {row.version.pk: (row.errors, row.warnings) for row in rows}
    assert counts == {clean.pk: (0, 0), broken.pk: (2, 0)}
    only_broken = admin_item_page(viewer=units["author"], filters=AdminItemFilters(has_errors=True))
    assert [row.version.pk for row in only_broken.object_list] == [broken.pk]


def test_review_queue_leaves_out_own_and_approved_versions():
    units = f.org()
    waiting = f.item(unit=units["dept"], author=units["author"], status="in_review")
    f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="approved"
    )
    assert list(review_queue(viewer=units["reviewer"])) == [waiting]
    assert list(review_queue(viewer=units["author"])) == []
