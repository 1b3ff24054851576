"""Search quality on the demo catalogue: the colloquial queries of
tests/data/colloquial_queries.tsv (residents' words, each with the item they mean) must find
their item among the first three results for at least 95% of them, and per-area items
collapse to the resident's own area. The same figure is printed by
``sanyi search evaluate``."""

from pathlib import Path

import pytest
from django.core.cache import cache

from sanyi.catalog.demo.build_items import DEPARTMENTS, SUBDISTRICTS, build_document
from sanyi.catalog.exchange import catalog_import
from sanyi.catalog.indexing import SEARCH_KINDS, catalog_reindex, indexing_suspended
from sanyi.orgs.areas import area_by_code
from sanyi.orgs.models import OrgKind, OrgUnit
from sanyi.orgs.tests import factories as org_factories
from sanyi.search import lexicon
from sanyi.search.evaluation import evaluate, load_cases
from sanyi.search.models import SearchQueryLog
from sanyi.search.registry import evaluation_sets
from sanyi.search.selectors import search_query

pytestmark = pytest.mark.django_db

QUERIES = Path(__file__).parent / "data" / "colloquial_queries.tsv"
MIN_TOP3 = 0.95


@pytest.fixture
def demo_catalogue():
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    district = org_factories.district(name="示范区")
    for name in DEPARTMENTS:
        org_factories.unit(
            district, OrgKind.DEPARTMENT, name=name, uscc=org_factories.unique_uscc()
        )
    for name, info in SUBDISTRICTS.items():
        sub = org_factories.unit(
            district, OrgKind.SUBDISTRICT, name=name, uscc=org_factories.unique_uscc()
        )
        org_factories.unit(sub, OrgKind.COMMUNITY, name=info["community"])
    with indexing_suspended():
        catalog_import(actor="系统：测试", document=build_document(), publish_without_review=True)
    catalog_reindex()
    yield
    lexicon.lexicon_reset()


def _area(name):
    return area_by_code(OrgUnit.objects.get(name=name).code)


def _search(text, area=None):
    return search_query(
        text=text,
        kinds=SEARCH_KINDS,
        limit=5,
        prefer_titles=True,
        area_paths=area.paths if area else (),
    )


# One import of the demo catalogue takes most of the time, so one test reads it all.
def test_colloquial_queries_find_their_item_and_per_area_items_collapse(demo_catalogue):
    cases = load_cases(QUERIES)
    assert len(cases) >= 60
    assert evaluation_sets()["catalog"].path == str(QUERIES)

    report = evaluate(cases, kinds=SEARCH_KINDS)

    misses = [(r.case.query, r.case.expected, r.found) for r in report.misses]
    print(f"\n{report.summary()}  top1={report.top1:.3f} top3={report.top3:.3f}")
    assert report.top3 >= MIN_TOP3, misses
    assert report.top1 >= 0.85, [r.case.query for r in report.rows if r.rank != 1]

    # 低保: six subdistricts implement it; without an area one result asks where.
    dibao = _search("低保")
    assert [h.title for h in dibao.hits] == ["最低生活保障申请"]
    assert dibao.hits[0].needs_area
    assert len(dibao.hits[0].variants) == len(SUBDISTRICTS)

    # With the resident's subdistrict the result opens that subdistrict's guide.
    east = _search("低保", _area("东湖街道")).hits[0]
    assert not east.needs_area
    assert east.area_unit == "东湖街道"
    assert east.variants[0].unit_name == "东湖街道"  # the resident's own area first
    assert east.url == next(v.url for v in east.variants if v.unit_name == "东湖街道")

    # A community resident gets the guide of the subdistrict above the community.
    community = next(info["community"] for name, info in SUBDISTRICTS.items() if name == "城关街道")
    assert _search("低保", _area(community)).hits[0].area_unit == "城关街道"

    # An item implemented by communities, with only the subdistrict known: the only
    # community of that subdistrict that implements it.
    elderly = _search("高龄补贴", _area("城关街道")).hits[0]
    assert elderly.area_unit == community

    # 老年证 (an everyday word for 老年人优待证) finds the published 老年人优待证办理.
    SearchQueryLog.objects.all().delete()
    card = _search("老年证", _area("南桥街道")).hits[0]
    assert card.title.startswith("老年人优待证")
    assert not SearchQueryLog.objects.filter(is_poor=True).exists()
