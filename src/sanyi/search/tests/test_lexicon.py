import pytest

from sanyi.search import lexicon
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, Synonym
from sanyi.search.tests.factories import ITEM, PUBLICATION

pytestmark = pytest.mark.django_db


def test_once_loaded_the_lexicon_costs_no_query(django_assert_num_queries):
    lexicon.ensure_fresh()

    with django_assert_num_queries(0):
        lexicon.ensure_fresh()


def test_a_change_is_picked_up_when_the_version_moves():
    lexicon.ensure_fresh()
    Synonym.objects.create(term="办护照", expansions=["普通护照签发"])
    lexicon.ensure_fresh()
    assert "办护照" not in lexicon.synonyms()  # nobody announced the change yet

    lexicon.lexicon_changed()
    lexicon.ensure_fresh()

    assert lexicon.synonyms()["办护照"] == ("普通护照签发",)
    assert "办护照" in search_text.query_words("办护照")


def test_an_old_lexicon_is_refreshed_after_the_time_limit_even_without_a_signal(monkeypatch):
    lexicon.ensure_fresh()
    Synonym.objects.create(term="办签证", expansions=["签证"])
    monkeypatch.setattr(lexicon, "REFRESH_SECONDS", 0)

    lexicon.ensure_fresh()

    assert "办签证" in lexicon.synonyms()


def test_titles_indexed_elsewhere_are_learned_for_items_but_not_for_publications():
    # Rows written by another process: this one only learns them from the database.
    SearchDocument.objects.create(kind=ITEM, object_id="1", title="独生子女父母奖励扶助金申领")
    SearchDocument.objects.create(
        kind=PUBLICATION, object_id="2", title="关于做好夏季防汛抗旱工作的紧急通知"
    )
    assert search_text.query_words("独生子女父母奖励扶助金") != ["独生子女父母奖励扶助金"]

    lexicon.lexicon_changed()
    lexicon.ensure_fresh()

    assert search_text.query_words("独生子女父母奖励扶助金") == ["独生子女父母奖励扶助金"]
    assert len(search_text.query_words("关于做好夏季防汛抗旱工作的紧急通知")) > 1
