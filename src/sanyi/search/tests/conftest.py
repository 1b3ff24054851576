import pytest
from django.core.cache import cache

from sanyi.search import backends, lexicon
from sanyi.search.registry import register_kind, unregister_kind
from sanyi.search.tests.factories import ITEM, ITEM_FACETS, PUBLICATION


@pytest.fixture(autouse=True)
def search_kinds():
    """Two throw-away kinds shaped like the catalogue's items and openness publications."""
    register_kind(ITEM, label="测试事项", facets=ITEM_FACETS)
    register_kind(
        PUBLICATION,
        label="测试公开信息",
        facets={"topic": "主题分类"},
        titles_to_dictionary=False,
    )
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    backends.forget_kind_counts()
    yield
    unregister_kind(ITEM)
    unregister_kind(PUBLICATION)
    lexicon.lexicon_reset()
