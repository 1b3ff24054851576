"""Ranking by title tier and popularity, leaving body-only matches out when titles match,
collapsing per-area documents, and logging poor results."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as orgs
from sanyi.search.models import SearchQueryLog
from sanyi.search.selectors import poor_result_queries, search_counts, search_query
from sanyi.search.services import search_weights_update, synonym_create
from sanyi.search.tests.factories import ITEM, item, planner_statements

pytestmark = pytest.mark.django_db
ADMIN = "系统：测试"


def search(text, **kwargs):
    kwargs.setdefault("prefer_titles", True)
    return search_query(text=text, kinds=[ITEM], **kwargs)


def titles(results):
    return [h.title for h in results.hits]


@pytest.fixture
def tree():
    return orgs.tree()


def per_area(title, units, key="B001", **fields):
    return [item(title, org_unit=unit, collapse_key=key, **fields) for unit in units]


def test_the_synonyms_first_official_term_ranks_first_whatever_the_word_counts(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        synonym_create(actor=ADMIN, term="添孩子", expansions=["生育登记", "出生医学证明"])
    # Many more words of the second term: bm25 alone would put these first.
    item("出生医学证明（首次签发）", body="出生医学证明 出生 医学 证明 " * 5)
    item("出生医学证明（换发）", body="出生医学证明 出生 医学 证明 " * 5)
    item("生育登记")

    found = search("添孩子")

    assert titles(found)[0] == "生育登记"
    assert [h.tier for h in found.hits] == [2, 1, 1]


def test_popular_documents_rank_higher_among_equal_title_matches():
    quiet = item("居住证申领")
    busy = item("居住证签注")
    assert search_weights_update(ITEM, {busy.object_id: 50, quiet.object_id: 0}) == 1

    assert titles(search("居住证")) == ["居住证签注", "居住证申领"]
    assert search_weights_update(ITEM, {}) == 1  # back to 0: only the changed row
    assert search_weights_update(ITEM, {}) == 0


def test_body_only_matches_are_left_out_when_a_title_matches_and_counted_apart():
    item("居民身份证申领")
    item("户口迁移", body="申请材料：居民身份证、户口簿")
    item("结婚登记", body="双方居民身份证")

    focused = search("身份证")
    everything = search("身份证", prefer_titles=False)

    assert (titles(focused), focused.total, focused.broader) == (["居民身份证申领"], 1, 2)
    assert everything.total == 3 and everything.broader == 0
    assert titles(everything)[0] == "居民身份证申领"
    assert not focused.is_poor


def test_a_search_that_only_finds_body_mentions_is_logged_as_poor():
    item("特困人员救助供养申请", body="户籍在本区的老年人、残疾人")
    item("户口迁移")

    results = search("老年人")
    search("户口")
    search("火星")

    assert results.is_poor and results.total == 1
    logged = {e.text: (e.result_count, e.is_poor) for e in SearchQueryLog.objects.all()}
    assert logged == {"老年人": (1, True), "户口": (1, False), "火星": (0, False)}


def test_poor_and_zero_result_queries_are_listed_with_counts_and_last_seen():
    item("特困人员救助供养申请", body="户籍在本区的老年人")
    item("户口迁移")
    for text in ["老年人", "老年人", "火星", "户口"]:
        search(text)
    analyst = orgs.staff(orgs.district(), Role.SUPERVISOR)

    rows = poor_result_queries(viewer=analyst, since=timezone.now() - dt.timedelta(days=1))

    assert [(r.text, r.count, r.zero_result_count, r.poor_result_count) for r in rows] == [
        ("老年人", 2, 0, 2),
        ("火星", 1, 1, 0),
    ]
    assert all(r.last_searched_at <= timezone.now() for r in rows)
    with pytest.raises(PermissionDenied):
        poor_result_queries(
            viewer=orgs.staff(orgs.district(), Role.WINDOW_CLERK), since=timezone.now()
        )


def test_the_first_result_is_logged_and_counted_per_document():
    first = item("户口迁移")
    search("户口迁移")
    search("户口迁移")
    search("火星")

    counts = search_counts(kind=ITEM, since=timezone.now() - dt.timedelta(days=1))

    assert counts == {first.object_id: 2}


def test_documents_of_one_base_item_are_one_result_that_asks_where_without_an_area(tree):
    per_area("最低生活保障申请", [tree["sub1"], tree["sub2"]])
    item("低保边缘家庭认定")

    results = search("最低生活保障")

    assert results.total == 1
    hit = results.hits[0]
    assert hit.needs_area and not hit.area_unit
    assert [v.unit_name for v in hit.variants] == [tree["sub1"].name, tree["sub2"].name]
    assert {v.unit_code for v in hit.variants} == {tree["sub1"].code, tree["sub2"].code}
    assert "body" not in hit.highlights  # another area's text is not shown


def test_the_residents_area_opens_its_own_document(tree):
    docs = per_area("最低生活保障申请", [tree["sub1"], tree["sub2"]])

    by_sub = search("最低生活保障", area_paths=[tree["sub2"].path]).hits[0]
    by_community = search("最低生活保障", area_paths=[tree["comm1"].path, tree["sub1"].path]).hits[
        0
    ]

    assert (by_sub.object_id, by_sub.url, by_sub.area_unit) == (
        docs[1].object_id,
        docs[1].url,
        tree["sub2"].name,
    )
    assert not by_sub.needs_area
    assert by_sub.variants[0].unit_name == tree["sub2"].name  # own area listed first
    assert by_community.object_id == docs[0].object_id


def test_a_community_item_opens_when_it_is_the_only_one_inside_the_chosen_subdistrict(tree):
    docs = per_area("高龄津贴申请", [tree["comm1"], tree["comm2"]], key="B002")

    hit = search("高龄津贴", area_paths=[tree["sub2"].path]).hits[0]

    assert (hit.object_id, hit.needs_area) == (docs[1].object_id, False)


def test_an_area_that_implements_nothing_of_the_group_still_asks(tree):
    per_area("生育登记", [tree["sub1"], tree["comm2"]], key="B003")
    other = orgs.unit(tree["district"], "subdistrict")

    hit = search("生育登记", area_paths=[other.path]).hits[0]

    assert hit.needs_area and len(hit.variants) == 2


def test_collapsing_keeps_paging_and_facet_counts_consistent(tree):
    for n in range(3):
        per_area(f"户口事项{n}", [tree["sub1"], tree["sub2"]], key=f"K{n}")
    item("户口迁移")

    first = search("户口", limit=2)
    second = search("户口", limit=2, offset=2)

    assert first.total == second.total == 4
    assert len({h.title for h in first.hits + second.hits}) == 4


def test_a_page_of_groups_costs_one_more_query_for_their_documents(
    tree, django_assert_max_num_queries
):
    for n in range(8):
        per_area(f"户口事项{n}", [tree["sub1"], tree["sub2"]], key=f"K{n}")
    search("户口")  # the lexicon loads once per process

    # matches counted, page, groups' documents, facets, log
    with django_assert_max_num_queries(5 + planner_statements()):
        results = search("户口", area_paths=[tree["sub1"].path])

    assert results.total == 8
    assert all(h.area_unit == tree["sub1"].name for h in results.hits)
