"""A resident's area: chosen by code, kept in a cookie, read from an address."""

from __future__ import annotations

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from sanyi.orgs import areas
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories

pytestmark = pytest.mark.django_db


def test_community_area_names_its_subdistrict():
    units = factories.tree()
    area = areas.area_by_code(units["comm1"].code)
    assert area is not None
    assert area.subdistrict == units["sub1"]
    assert area.community == units["comm1"]
    assert area.unit == units["comm1"]
    assert area.paths == [units["comm1"].path, units["sub1"].path]
    assert area.label == f"{units['sub1'].name}{units['comm1'].name}"


def test_only_subdistricts_and_communities_are_areas():
    units = factories.tree()
    assert areas.area_by_code(units["sub2"].code).community is None
    for key in ("district", "grid1", "dept"):
        assert areas.area_by_code(units[key].code) is None
    assert areas.area_by_code("") is None
    assert areas.area_by_code("no-such-code") is None


def test_cookie_round_trip_and_forget():
    units = factories.tree()
    response = HttpResponse()
    areas.remember_area(response, areas.area_by_code(units["comm2"].code))
    cookie = response.cookies[areas.AREA_COOKIE]
    assert cookie.value == units["comm2"].code
    assert cookie["httponly"]
    request = RequestFactory().get("/", HTTP_COOKIE=f"{areas.AREA_COOKIE}={cookie.value}")
    assert areas.area_from_request(request).community == units["comm2"]
    forgotten = HttpResponse()
    areas.remember_area(forgotten, None)
    assert forgotten.cookies[areas.AREA_COOKIE].value == ""


def test_area_from_address_prefers_the_longest_community_name():
    district = factories.district()
    sub = factories.unit(district, OrgKind.SUBDISTRICT, name="城关街道")
    short = factories.unit(sub, OrgKind.COMMUNITY, name="翠苑社区")
    longer = factories.unit(sub, OrgKind.COMMUNITY, name="翠苑一社区")
    assert areas.area_from_address("城关街道翠苑一社区3幢201").community == longer
    assert areas.area_from_address("翠苑社区5号").community == short
    assert areas.area_from_address("城关街道某路1号").community is None
    assert areas.area_from_address("城关街道某路1号").subdistrict == sub
    assert areas.area_from_address("外省某地") is None


def test_area_choices_group_active_communities_under_their_subdistricts():
    units = factories.tree()
    closed_sub = factories.unit(units["district"], OrgKind.SUBDISTRICT)
    orphan = factories.unit(closed_sub, OrgKind.COMMUNITY)
    closed_sub.is_active = False
    closed_sub.save()

    groups = areas.area_choices()

    assert [g.subdistrict for g in groups] == [units["sub1"], units["sub2"]]
    assert groups[0].communities == [units["comm1"]]
    assert groups[1].communities == [units["comm2"]]
    assert orphan not in [c for g in groups for c in g.communities]
