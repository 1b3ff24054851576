import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as orgs
from sanyi.search import lexicon
from sanyi.search.models import SearchQueryLog
from sanyi.search.selectors import search_query
from sanyi.search.tests.factories import ITEM, PUBLICATION, item, planner_statements

pytestmark = pytest.mark.django_db


def titles(results) -> list[str]:
    return [hit.title for hit in results.hits]


def search(text, *, kinds=(ITEM,), **kwargs):
    return search_query(text=text, kinds=list(kinds), **kwargs)


def test_a_word_inside_a_longer_title_is_found():
    item("城乡居民最低生活保障申请")
    item("残疾人证办理")

    assert titles(search("生活保障")) == ["城乡居民最低生活保障申请"]


def test_a_colloquial_word_finds_the_official_term_through_the_seeded_synonyms():
    item("最低生活保障审批")
    item("高龄津贴申领")

    assert titles(search("低保")) == ["最低生活保障审批"]
    assert titles(search("高龄补贴")) == ["高龄津贴申领"]


def test_one_synonym_finds_every_official_term_it_stands_for():
    item("生育登记")
    item("出生医学证明首次签发")
    item("结婚登记")

    found = set(titles(search("生孩子怎么办理")))

    assert found == {"生育登记", "出生医学证明首次签发"}


def test_pinyin_initials_find_the_title():
    item("户口迁移")
    item("护照签发")

    assert titles(search("hkqy")) == ["户口迁移"]


def test_full_pinyin_finds_a_word_of_the_title_whatever_the_case_and_spacing():
    item("户口迁移登记")
    item("护照签发")

    assert titles(search("hukou")) == ["户口迁移登记"]
    assert titles(search("HuKou QianYi")) == ["户口迁移登记"]
    assert titles(search("hukouqian")) == ["户口迁移登记"]


def test_a_phrase_from_the_body_finds_the_document_and_is_highlighted():
    item(
        "关于印发2026年农村工作要点的通知",
        kind=PUBLICATION,
        body="各街道：今年继续实施农村危房改造补助，补助标准为每户两万元。",
    )

    results = search("危房改造补助标准", kinds=[PUBLICATION])

    assert titles(results) == ["关于印发2026年农村工作要点的通知"]
    assert "<mark>危房</mark>" in results.hits[0].highlights["body"] or (
        "<mark>危房改造</mark>" in results.hits[0].highlights["body"]
    )


def test_a_title_match_ranks_before_documents_that_only_mention_the_word():
    item("残疾人两项补贴申请", body="申请残疾人补贴需要残疾人证。残疾人证可在社区办理。")
    item("残疾人证办理", body="本事项为新办残疾人证。")
    item("低保申请", body="家中有持残疾人证人员的，可以优先审核。")

    found = titles(search("残疾人证"))

    assert found[0] == "残疾人证办理"
    assert set(found) == {"残疾人证办理", "残疾人两项补贴申请", "低保申请"}


def test_highlights_escape_the_document_text():
    item("<b>户口</b>迁移")

    hit = search("户口").hits[0]

    assert str(hit.highlights["title"]) == "&lt;b&gt;<mark>户口</mark>&lt;/b&gt;迁移"


def test_filters_narrow_by_facets_any_value_within_a_facet_all_facets_together():
    item("生育登记", facets={"level": ["district"], "theme": ["birth", "family"]})
    item("出生登记", facets={"level": ["subdistrict"], "theme": ["birth"]})
    item("婚姻登记", facets={"level": ["district"], "theme": ["family"]})

    assert set(titles(search("登记", filters={"level": ["district"]}))) == {"生育登记", "婚姻登记"}
    assert set(titles(search("登记", filters={"theme": ["birth"]}))) == {"生育登记", "出生登记"}
    both = search("登记", filters={"level": ["district"], "theme": ["birth"]})
    assert titles(both) == ["生育登记"]
    either = search("登记", filters={"level": ["district", "subdistrict"]})
    assert either.total == 3


def test_facet_counts_cover_the_results_and_keep_other_values_of_a_filtered_facet():
    item("生育登记", facets={"level": ["district"], "department": ["7"]})
    item("出生登记", facets={"level": ["subdistrict"], "department": ["7"]})
    item("婚姻登记", facets={"level": ["district"], "department": ["8"]})
    item("残疾人证办理", facets={"level": ["district"], "department": ["9"]})

    results = search("登记", filters={"level": ["district"]})

    assert results.total == 2
    assert results.facet_counts["department"] == {"7": 1, "8": 1}
    # Counted without its own filter, so "subdistrict" can still be chosen.
    assert results.facet_counts["level"] == {"district": 2, "subdistrict": 1}
    assert results.facet_counts["theme"] == {}


def test_only_the_facets_asked_for_are_counted_and_none_costs_no_query(
    django_assert_num_queries,
):
    item("生育登记", facets={"level": ["district"], "department": ["7"]})
    item("出生登记", facets={"level": ["subdistrict"], "department": ["7"]})
    item("婚姻登记", facets={"level": ["district"], "department": ["8"]})
    lexicon.ensure_fresh()
    every = search("登记", filters={"level": ["district"]})

    some = search("登记", filters={"level": ["district"]}, facets=["department"])

    # The filters still apply; the counts asked for are the same as when all are counted.
    assert titles(some) == titles(every)
    assert some.facet_counts == {"department": every.facet_counts["department"]}
    # Matches counted, ranked page, log row: the facet query is left out.
    with django_assert_num_queries(3 + planner_statements()):
        none = search("登记", facets=())
    assert none.total == 3
    assert none.facet_counts == {}
    assert SearchQueryLog.objects.filter(text="登记").count() == 3
    with pytest.raises(ValidationError):
        search("登记", facets=["colour"])


def test_blank_text_with_filters_browses_by_the_filters_alone():
    item("生育登记", facets={"life_event": ["birth"]}, weight=1)
    item("出生医学证明", facets={"life_event": ["birth"]}, weight=5)
    item("婚姻登记", facets={"life_event": ["marriage"]})

    results = search("   ", filters={"life_event": ["birth"]})

    assert titles(results) == ["出生医学证明", "生育登记"]  # heavier first
    assert results.total == 2


def test_the_org_unit_filter_covers_the_unit_and_everything_below_it():
    tree = orgs.tree()
    item("社区事项", org_unit=tree["comm1"])
    item("街道事项", org_unit=tree["sub1"])
    item("另一个街道的事项", org_unit=tree["sub2"])

    found = search("", filters={"org_unit": [str(tree["sub1"].pk)]})

    assert set(titles(found)) == {"社区事项", "街道事项"}


def test_anonymous_viewers_never_get_non_public_documents():
    item("户口迁移", is_public=True)
    item("户口迁移（内部草稿）", is_public=False)

    for viewer in (None, AnonymousUser()):
        results = search("户口", viewer=viewer)
        assert titles(results) == ["户口迁移"]
        assert results.total == 1


def test_staff_also_find_non_public_documents_of_their_own_units_only():
    tree = orgs.tree()
    item("户口迁移草稿甲", is_public=False, org_unit=tree["comm1"])
    item("户口迁移草稿乙", is_public=False, org_unit=tree["comm2"])
    clerk = orgs.staff(tree["sub1"], Role.CATALOG_ADMIN)

    assert titles(search("户口迁移", viewer=clerk)) == ["户口迁移草稿甲"]


def test_a_query_of_only_fillers_finds_nothing_and_is_logged():
    item("户口迁移", body="怎么办理户口迁移")

    results = search("怎么办理？")

    assert results.total == 0
    assert SearchQueryLog.objects.get().text == "怎么办理？"


def test_every_query_is_logged_with_its_filters_count_and_time_but_no_viewer():
    item("生育登记", facets={"level": ["district"]})
    clerk = orgs.staff(orgs.district(), Role.WINDOW_CLERK)

    search(" 生育  登记 ", filters={"level": ["district"]}, viewer=clerk)

    entry = SearchQueryLog.objects.get()
    assert entry.text == "生育 登记"
    assert entry.kinds == ITEM
    assert entry.filters == {"level": ["district"]}
    assert entry.result_count == 1
    assert entry.took_ms >= 0
    assert entry.is_anonymous is False


def test_resident_id_and_phone_numbers_typed_into_the_box_are_masked_in_the_log():
    search("11010519491231002X 13812345678 户口")

    assert SearchQueryLog.objects.get().text == "1101**********002X 138****5678 户口"


def test_a_page_past_the_end_still_reports_the_total():
    for n in range(3):
        item(f"户口登记{n}")

    results = search("户口", offset=10)

    assert results.hits == []
    assert results.total == 3


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": "户" * 101}, "text"),
        ({"text": "户口", "filters": {"colour": ["red"]}}, "filters"),
        ({"text": "户口", "filters": {"org_unit": ["abc"]}}, "filters"),
        ({"text": "户口", "kinds": ["nope.kind"]}, "kind"),
        ({"text": "户口", "kinds": []}, "kinds"),
        ({"text": "户口", "limit": 0}, "limit"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_the_field(kwargs, field):
    kwargs = {"kinds": [ITEM], **kwargs}

    with pytest.raises(ValidationError) as error:
        search_query(**kwargs)

    assert field in error.value.message_dict
    assert not SearchQueryLog.objects.exists()


def test_the_longest_allowed_query_is_accepted():
    assert search("户" * 100).total == 0


@pytest.mark.parametrize("size", [3, 40])
def test_a_search_costs_at_most_five_queries_whatever_the_result_size(
    size, django_assert_max_num_queries
):
    tree = orgs.tree()
    for n in range(size):
        item(f"户口迁移{n}", facets={"level": ["district"], "theme": [str(n % 4)]})
    clerk = orgs.staff(tree["district"], Role.CATALOG_ADMIN)
    lexicon.ensure_fresh()

    # Matches counted, page, facets, log (and the clerk's roles).
    with django_assert_max_num_queries(5 + planner_statements()):
        results = search("户口", viewer=clerk, filters={"level": ["district"]}, limit=50)

    assert results.total == size
    with django_assert_max_num_queries(5 + planner_statements()):
        search("户口", viewer=clerk, filters={"org_unit": [str(tree["district"].pk)]}, offset=90)
    with django_assert_max_num_queries(4):
        search("", filters={"theme": ["1"]})


def test_kind_of_org_unit_is_irrelevant_to_search():
    # A document with no org unit is still found by everybody when it is public.
    item("全区通办事项", org_unit=None)
    assert OrgKind.DISTRICT  # the tree is optional for search documents
    assert titles(search("通办")) == ["全区通办事项"]


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "--",
        "AND",
        "OR NOT",
        "NEAR(户口)",
        "a_b",
        "C++",
        "½",
        "①",
        "ⅷ",
        "𠀀",
        "😀",
        "户口*",
        "(户口",
        "户口 OR 迁移",
        "\\",
        "%",
        "ｈｋｑｙ",
        "户口\x00",
    ],
)
def test_odd_input_is_searched_as_text_and_never_breaks_the_query(text):
    item("户口迁移")

    results = search(text)

    assert results.total in (0, 1)


def test_a_pinyin_query_marks_the_title_words_it_matched():
    item("户口迁移登记")

    hit = search("hkqy").hits[0]
    assert str(hit.highlights["title"]) == "<mark>户口迁移</mark>登记"
    assert str(search("hukou").hits[0].highlights["title"]) == "<mark>户口</mark>迁移登记"
