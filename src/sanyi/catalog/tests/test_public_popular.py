"""Popular services: applications and searches, matched to published items, each linked
to the guide that applies where the resident lives."""

import datetime as dt

import pytest
from django.utils import timezone

from sanyi.catalog import services
from sanyi.catalog.public import life_event_tiles, popular_items, searched_item_counts
from sanyi.catalog.tests import factories as f
from sanyi.orgs.tests import factories as org_f
from sanyi.search.services import search_query_log_create

pytestmark = pytest.mark.django_db


def _searched(text: str, times: int = 1, found: int = 3, kinds=("catalog.item",)) -> None:
    for _ in range(times):
        search_query_log_create(
            text=text, kinds=kinds, filters={}, result_count=found, took_ms=1, is_anonymous=True
        )


@pytest.fixture
def units():
    units = f.org()
    for key in ("sub1", "sub2"):
        units[key].uscc = org_f.unique_uscc()
        units[key].save(update_fields=["uscc"])
    return units


def _published(units, unit_key: str, name: str | None = None):
    return f.item(unit=units[unit_key], status="published", name=name, reviewer=units["reviewer"])


def _code(version) -> str:
    return version.implementation_item.implementation_code


@pytest.fixture
def since():
    return timezone.now() - dt.timedelta(days=90)


def test_searches_that_found_something_count_for_items_whose_name_holds_them(units, since):
    permit = _published(units, "dept", "居住证签注")
    _searched("居住证", times=3)
    _searched("居住证", found=0)  # found nothing: not counted
    _searched("证")  # one character matches too much: ignored
    _searched("居住证", kinds=("openness.publication",))  # another search: not counted
    names = {permit.implementation_item.base_item_id: "居住证签注"}

    assert searched_item_counts(names=names, since=since) == {
        permit.implementation_item.base_item_id: 3
    }


def test_popular_items_rank_applications_and_searches_together(
    units, since, django_assert_max_num_queries
):
    a = _published(units, "dept", "甲事项")
    b = _published(units, "dept", "乙事项")
    f.item(unit=units["dept"], status="draft", name="丙事项")
    _searched("乙事项", times=2)
    applied = {a.implementation_item.base_item_id: 1, b.implementation_item.base_item_id: 1}

    with django_assert_max_num_queries(2):
        popular = popular_items(applied=applied, since=since)

    assert [p.name for p in popular] == ["乙事项", "甲事项"]
    assert popular[0].applied == 1 and popular[0].searched == 2
    assert popular[1].implementation_code == a.implementation_item.implementation_code


def test_each_resident_gets_the_guide_of_their_own_area(units, since):
    sub1 = _published(units, "sub1", "生育登记")
    sub2 = _published(units, "sub2", "生育登记")
    _searched("生育登记")

    in_comm1 = popular_items(applied={}, since=since, area_path=units["comm1"].path)
    in_comm2 = popular_items(applied={}, since=since, area_path=units["comm2"].path)
    anywhere = popular_items(applied={}, since=since)

    assert [p.implementation_code for p in in_comm1] == [
        sub1.implementation_item.implementation_code
    ]
    assert [p.implementation_code for p in in_comm2] == [
        sub2.implementation_item.implementation_code
    ]
    assert len(anywhere) == 1  # one thing to do, not one per subdistrict


def test_an_item_only_another_area_offers_is_left_out(units, since):
    _published(units, "comm1", "社区证明")
    _searched("社区证明")

    assert popular_items(applied={}, since=since, area_path=units["comm2"].path) == []
    assert [p.name for p in popular_items(applied={}, since=since)] == ["社区证明"]


def test_applications_for_items_no_longer_published_are_ignored(units, since):
    draft = f.item(unit=units["dept"], status="draft", name="草稿事项")

    assert popular_items(applied={draft.implementation_item.base_item_id: 9}, since=since) == []


def test_life_event_tiles_count_distinct_things_to_do(units, django_assert_max_num_queries):
    one = _published(units, "sub1", "生育登记")
    two = _published(units, "sub2", "生育登记")
    other = _published(units, "dept")
    services.life_event_save(
        actor=f.SYSTEM,
        name="新生儿出生",
        items=[one.implementation_item, two.implementation_item, other.implementation_item],
    )
    services.life_event_save(actor=f.SYSTEM, name="空的一件事", items=[])

    with django_assert_max_num_queries(1):
        tiles = life_event_tiles()

    assert [(t.name, t.item_count) for t in tiles] == [("新生儿出生", 2)]
