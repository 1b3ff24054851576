"""Search over items implemented per area: the catalogue feeds the base code as collapse key
and its popularity as weight; the public page and the API open the resident's own area's
guide or ask where; suggestions while typing; 您是不是要找."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse

from sanyi.catalog.indexing import ITEM_KIND, item_popularity, refresh_popularity
from sanyi.catalog.jobs import search_popularity_job
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.orgs.areas import AREA_COOKIE
from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as org_factories
from sanyi.search import lexicon
from sanyi.search.models import SearchDocument, SearchQueryLog

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_lexicon():
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    yield
    lexicon.lexicon_reset()


@pytest.fixture
def areas(django_capture_on_commit_callbacks):
    units = org_with_centers()
    units["east"] = org_factories.unit(
        units["district"], OrgKind.SUBDISTRICT, name="东湖街道", uscc=org_factories.unique_uscc()
    )
    with django_capture_on_commit_callbacks(execute=True):
        units["dibao_west"] = published_dibao(units)
        units["dibao_east"] = published_dibao(units, unit=units["east"])
    return units


def _code(version):
    return version.implementation_item.implementation_code


def _search(client, **params):
    return client.get(reverse("catalog:search"), params)


def test_per_area_items_share_the_base_code_as_collapse_key(areas):
    docs = SearchDocument.objects.filter(kind=ITEM_KIND)

    assert docs.count() == 2
    base_code = areas["dibao_west"].implementation_item.base_item.base_code
    assert set(docs.values_list("collapse_key", flat=True)) == {base_code}


def test_without_an_area_the_page_shows_one_result_that_asks_where(client, areas):
    response = _search(client, q="低保")

    html = response.content.decode()
    assert response.context["results"].total == 1
    assert "您在哪里办理？" in html
    for version in (areas["dibao_west"], areas["dibao_east"]):
        assert reverse("catalog:guide", args=[_code(version)]) in html
    assert f'<option value="{areas["east"].code}">东湖街道</option>' in html
    assert AREA_COOKIE not in response.cookies


def test_the_area_cookie_opens_the_residents_own_guide(client, areas):
    client.cookies[AREA_COOKIE] = areas["east"].code

    response = _search(client, q="低保")

    hit = response.context["results"].hits[0]
    assert hit.url == reverse("catalog:guide", args=[_code(areas["dibao_east"])])
    html = response.content.decode()
    assert "按您所在的地区，在东湖街道办理" in html
    assert "不在东湖街道办理？" in html


def test_choosing_the_area_on_the_page_is_remembered(client, areas):
    response = _search(client, q="低保", area=areas["street"].code)

    assert response.context["results"].hits[0].area_unit == "城关街道"
    assert response.cookies[AREA_COOKIE].value == areas["street"].code
    # An unknown code is ignored: without the cookie the page still asks.
    del client.cookies[AREA_COOKIE]
    unknown = _search(client, q="低保", area="nope")
    assert unknown.context["results"].hits[0].needs_area


def test_the_search_page_query_count_is_bounded_with_groups(
    client, areas, django_assert_max_num_queries
):
    client.cookies[AREA_COOKIE] = areas["east"].code
    _search(client, q="低保")
    with django_assert_max_num_queries(10):
        response = _search(client, q="低保")
    assert response.context["results"].total == 1


def test_a_weak_match_is_flagged_and_a_near_miss_is_offered(client, areas):
    poor = _search(client, q="户口簿")  # only in the materials of the guides
    typo = _search(client, q="低宝")

    assert poor.context["results"].is_poor
    assert "没有找到名称与“户口簿”对得上的事项" in poor.content.decode()
    assert SearchQueryLog.objects.get(text="户口簿").is_poor
    assert typo.context["did_you_mean"] == ["低保"]
    assert '您是不是要找：<a href="?q=%E4%BD%8E%E4%BF%9D">低保</a>' in typo.content.decode()


def test_suggestions_come_as_an_htmx_fragment_and_without_script_it_is_the_search(client, areas):
    fragment = client.get(reverse("catalog:search_suggest"), {"q": "dib"}, HTTP_HX_REQUEST="true")
    plain = client.get(reverse("catalog:search_suggest"), {"q": "低保"})

    assert fragment.status_code == 200
    assert "<html" not in fragment.content.decode()
    assert fragment.context["suggestions"][0].text == "低保"
    assert plain.status_code == 302
    assert plain.url == reverse("catalog:search") + "?q=%E4%BD%8E%E4%BF%9D"
    assert not SearchQueryLog.objects.exists()


def test_the_search_box_asks_for_suggestions_and_still_submits_as_a_form(client, areas):
    html = _search(client).content.decode()

    assert f'action="{reverse("catalog:search")}"' in html
    assert 'name="q"' in html
    assert f'hx-get="{reverse("catalog:search_suggest")}"' in html


def test_the_api_collapses_by_area_and_lists_the_areas(client, areas):
    endpoint = reverse("api:catalog-search")

    asked = client.get(endpoint, {"q": "低保"}).json()
    local = client.get(endpoint, {"q": "低保", "area": areas["east"].code}).json()
    bad = client.get(endpoint, {"q": "低保", "area": "nope"})

    assert asked["count"] == 1
    assert asked["results"][0]["needs_area"] is True
    assert {v["unit_code"] for v in asked["results"][0]["variants"]} == {
        areas["street"].code,
        areas["east"].code,
    }
    assert local["results"][0]["needs_area"] is False
    assert local["results"][0]["area_unit"] == "东湖街道"
    assert local["results"][0]["object_id"] == _code(areas["dibao_east"])
    assert bad.status_code == 400
    assert "area" in str(bad.json())
    typo = client.get(endpoint, {"q": "dibao"}).json()
    assert typo["count"] == 0 and typo["did_you_mean"] == ["低保"]


def test_popularity_counts_searches_that_led_to_the_item(client, areas):
    east = _code(areas["dibao_east"])
    client.get(reverse("api:catalog-search"), {"q": "低保", "area": areas["east"].code})
    client.get(reverse("api:catalog-search"), {"q": "低保", "area": areas["east"].code})
    SearchQueryLog.objects.create(
        text="低保",
        kinds=ITEM_KIND,
        result_count=1,
        took_ms=1,
        top_result=f"{ITEM_KIND}:{_code(areas['dibao_west'])}",
        created_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
    )

    assert item_popularity() == {east: 2}  # the search of 2020 is too old to count
    assert refresh_popularity() == 1
    assert SearchDocument.objects.get(object_id=east).weight == 2
    assert search_popularity_job(now=None) == "更新了0个事项的热度"


def test_popularity_counts_the_applications_made_for_the_item():
    from sanyi.cases.tests import factories as case_f

    w = case_f.world()
    case_f.case(w)
    case_f.case(w)

    popularity = item_popularity()

    assert popularity[w["item"].implementation_code] == 2
    assert w["community_item"].implementation_code not in popularity
