import pytest

from sanyi.calendar.selectors import calendar_cache_clear
from sanyi.calendar.tests.factories import official_calendar
from sanyi.cases.tests import factories as cases_f
from sanyi.orgs.areas import area_by_code
from sanyi.orgs.models import Role, RoleAssignment
from sanyi.orgs.tests import factories as f
from sanyi.portal.selectors import (
    front_door,
    home_directory,
    user_is_system_admin,
    user_must_use_otp,
)

pytestmark = pytest.mark.django_db


def test_home_directory_is_empty_without_org_data():
    directory = home_directory()

    assert directory.district is None
    assert directory.center_count == 0


def test_home_directory_groups_centers_by_level():
    # given a district with its own center and centers in one of its two subdistricts
    tree = f.tree()
    district_center = f.center(tree["district"], windows=0)
    sub_center = f.center(tree["sub1"], windows=0)
    second_sub_center = f.center(tree["sub1"], windows=0, name="第二便民服务中心")
    comm_center = f.center(tree["comm1"], windows=0)

    # when
    directory = home_directory()

    # then
    assert directory.district == tree["district"]
    assert [c.pk for c in directory.district_centers] == [district_center.pk]
    assert [g.unit for g in directory.subdistricts] == [tree["sub1"]]  # sub2 has no center
    group = directory.subdistricts[0]
    assert {c.pk for c in group.centers} == {sub_center.pk, second_sub_center.pk}
    assert [c.pk for c in group.community_centers] == [comm_center.pk]
    assert directory.center_count == 4


def test_home_directory_leaves_out_inactive_centers_and_units():
    tree = f.tree()
    closed = f.center(tree["sub1"], windows=0)
    closed.is_active = False
    closed.save()
    f.center(tree["comm2"], windows=0)
    tree["comm2"].is_active = False
    tree["comm2"].save()

    assert home_directory().center_count == 0


def test_home_directory_ignores_centers_of_another_district():
    first = f.tree()
    other = f.district()
    f.center(other, windows=0)

    directory = home_directory()

    assert directory.district == first["district"]
    assert directory.center_count == 0


def test_system_admin_is_a_superuser_or_an_active_admin_role():
    tree = f.tree()
    admin = f.staff(tree["sub1"], Role.SYSTEM_ADMIN)
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    clerk.is_superuser = True
    clerk.save()
    retired = f.staff(tree["sub1"], Role.SYSTEM_ADMIN)
    RoleAssignment.objects.filter(user=retired).update(is_active=False)
    plain = f.staff(tree["sub1"], Role.APPROVER)

    assert user_is_system_admin(admin)
    assert user_is_system_admin(clerk)
    assert not user_is_system_admin(retired)
    assert not user_is_system_admin(plain)


def test_admin_otp_rule_follows_the_setting(settings):
    admin = f.staff(f.district(), Role.SYSTEM_ADMIN)

    settings.SANYI_REQUIRE_ADMIN_OTP = True
    assert user_must_use_otp(admin)
    settings.SANYI_REQUIRE_ADMIN_OTP = False
    assert not user_must_use_otp(admin)


def test_front_door_counts_applications_in_the_residents_own_subdistrict():
    official_calendar()
    calendar_cache_clear()
    w = cases_f.world()
    cases_f.case(
        w,
        state="in_progress",
        item=w["community_item"],
        window=w["comm_window"],
        clerk=w["comm_clerk"],
    )

    mine = front_door(area=area_by_code(w["comm1"].code), area_source="chosen")
    elsewhere = front_door(area=area_by_code(w["comm2"].code), area_source="chosen")
    anywhere = front_door(area=None)

    assert mine.popular_local
    assert [p.name for p in mine.popular] == [w["community_item"].base_item.name]
    assert [c.pk for c in mine.centers] == [w["comm_center"].pk]
    # comm2's subdistrict has no applications: the district's count, but comm1's own
    # item is not one a resident of comm2 can use
    assert not elsewhere.popular_local
    assert elsewhere.popular == []
    assert [c.pk for c in elsewhere.centers] == [w["center"].pk]
    assert not anywhere.popular_local and anywhere.notices == []
    calendar_cache_clear()
