"""您是不是要找 (pinyin, homophones, one wrong character) and suggestions while typing."""

import pytest

from sanyi.search.suggest import did_you_mean, typing_suggestions
from sanyi.search.tests.factories import ITEM, item

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(django_capture_on_commit_callbacks):
    # On commit the lexicon learns that titles changed (as after a real publish).
    with django_capture_on_commit_callbacks(execute=True):
        item("最低生活保障申请")
        item("个体工商户设立登记")
        item("失业保险金申领")
        item("高龄津贴申请")
        item("内部草稿事项", is_public=False)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("dibao", "低保"),  # pinyin of a seeded synonym term
        ("DiBao", "低保"),
        ("laonianzheng", "老年证"),
        ("gaolingjintie", "高龄津贴"),  # pinyin of a title word
        ("低宝", "低保"),  # homophone
        ("个体护", "个体户"),
        ("失业晶", "失业金"),  # one character wrong
        ("高龄津帖申请", "高龄津贴"),  # 申请 is a filler; 津帖 sounds like 津贴
        ("低宝怎么办", "低保"),  # fillers are not part of the mistake
    ],
)
def test_near_misses_are_offered_the_known_word(catalogue, typed, meant):
    assert did_you_mean(typed)[0] == meant


def test_known_words_and_gibberish_get_no_suggestion(catalogue):
    assert did_you_mean("低保") == []
    assert did_you_mean("火星移民计划书") == []
    assert did_you_mean("qqqq") == []
    assert did_you_mean("") == []


def test_titles_that_are_not_public_are_never_suggested(catalogue):
    assert "内部草稿事项" not in did_you_mean("内部草搞事项")


def test_typing_offers_synonym_terms_then_results_by_characters_or_pinyin(catalogue):
    typed = typing_suggestions("低", kinds=[ITEM])
    by_pinyin = typing_suggestions("dib", kinds=[ITEM])
    results = typing_suggestions("最低生活", kinds=[ITEM])

    assert [s.text for s in typed][:2] == ["低保", "低保户"]
    assert all(s.url == "" for s in typed)
    assert [s.text for s in by_pinyin][:1] == ["低保"]
    assert [(s.text, bool(s.url)) for s in results] == [("最低生活保障申请", True)]
    assert typing_suggestions("  ", kinds=[ITEM]) == []


def test_typing_is_not_logged_as_a_search(catalogue):
    from sanyi.search.models import SearchQueryLog

    typing_suggestions("最低", kinds=[ITEM])

    assert not SearchQueryLog.objects.exists()
