import pytest
from django.core.cache import cache

from sanyi.openness.tests import factories as f
from sanyi.search import lexicon


@pytest.fixture(autouse=True)
def fresh_lexicon():
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    yield
    lexicon.lexicon_reset()


@pytest.fixture
def org_tree(db):
    return f.setting()
