"""The address mapping: parsing and the rules (pure), and the selector over the database."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sanyi.core.actors import SystemActor
from sanyi.grid import selectors
from sanyi.grid.addresses import best_rule, place_on, rule_covers


@dataclass
class R:
    street: str
    parity: str
    number_from: int
    number_to: int
    building_from: int | None = None
    building_to: int | None = None
    name: str = ""


ODD = R("文一路", "odd", 1, 99, name="odd")
EVEN = R("文一路", "even", 2, 100, name="even")
WIDE = R("学院路", "all", 1, 200, name="wide")
ACTOR = SystemActor("测试")
BLOCKS = R("学院路", "all", 12, 12, 1, 6, name="blocks")


def test_place_reads_number_and_building():
    place = place_on("杭州市西湖区学院路12号3幢2单元301室", "学院路")
    assert (place.number, place.building) == (12, 3)
    assert place_on("学院路１２号", "学院路").number == 12  # full-width digits
    assert place_on("学院路", "学院路") is None
    assert place_on("文一路45号", "学院路") is None


@given(number=st.integers(min_value=1, max_value=100))
def test_odd_and_even_sides_never_overlap(number):
    rule = best_rule(f"示范区文一路{number}号", [ODD, EVEN])
    assert rule is (ODD if number % 2 else EVEN)


@given(number=st.integers(min_value=101, max_value=10_000))
def test_beyond_the_ranges_no_grid(number):
    assert best_rule(f"文一路{number}号", [ODD, EVEN]) is None


@given(building=st.integers(min_value=1, max_value=60))
def test_building_range_beats_street_range(building):
    rule = best_rule(f"学院路12号{building}幢", [WIDE, BLOCKS])
    assert rule is (BLOCKS if 1 <= building <= 6 else WIDE)


@given(
    lo=st.integers(min_value=1, max_value=50),
    span=st.integers(min_value=0, max_value=50),
    number=st.integers(min_value=1, max_value=120),
)
def test_range_bounds_are_inclusive(lo, span, number):
    rule = R("文二路", "all", lo, lo + span)
    place = place_on(f"文二路{number}号", "文二路")
    assert rule_covers(rule, place) is (lo <= number <= lo + span)


def test_building_rule_needs_a_building():
    assert best_rule("学院路12号", [BLOCKS]) is None


@pytest.mark.django_db
def test_grid_of_address_and_applicant(gw):
    from sanyi.applicants.tests.factories import person

    assert selectors.grid_of_address("文一路45号") == gw["grid_a"]
    assert selectors.grid_of_address("文一路46号") == gw["grid_b"]
    assert selectors.grid_of_address("学院路12号2幢") == gw["grid_b"]
    assert selectors.grid_of_address("学院路12号9幢") == gw["grid_a"]
    assert selectors.grid_of_address("中山路1号") is None
    elsewhere = person(address="中山路1号")
    assert selectors.grid_of_applicant(elsewhere) is None
    assert selectors.grid_of_applicant(person(address="文一路7号")) == gw["grid_a"]


def test_a_new_applicant_is_placed_in_the_grid_of_their_address(gw):
    from sanyi.applicants.services import applicant_find_or_create
    from sanyi.applicants.tests.factories import resident_id

    inside = applicant_find_or_create(
        id_number=resident_id(), name="王小明", address="示范区文一路46号", actor=ACTOR
    )
    outside = applicant_find_or_create(
        id_number=resident_id(), name="李小红", address="中山路1号", actor=ACTOR
    )
    assert inside.grid == gw["grid_b"]
    assert outside.grid is None


def test_a_changed_address_moves_the_applicant_to_its_grid(gw):
    from sanyi.applicants.services import applicant_update
    from sanyi.applicants.tests.factories import person

    resident = person(address="文一路45号")
    resident.grid = gw["grid_a"]
    resident.save()
    moved = applicant_update(applicant=resident, actor=ACTOR, address="文一路46号")
    assert moved.grid == gw["grid_b"]
    gone = applicant_update(applicant=moved, actor=ACTOR, address="中山路1号")
    assert gone.grid is None
