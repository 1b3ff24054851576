"""Whatever is indexed and whatever is typed, an anonymous search never shows a document
that is not public."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sanyi.search.selectors import search_query
from sanyi.search.services import SearchEntry, search_reindex
from sanyi.search.tests.factories import ITEM

pytestmark = pytest.mark.django_db
WORDS = ["户口", "迁移", "生育", "登记", "低保", "最低生活保障", "养老", "补贴", "hk", "证明"]

documents = st.lists(
    st.tuples(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4), st.booleans()),
    min_size=1,
    max_size=12,
)
queries = st.one_of(
    st.sampled_from([*WORDS, "", "hkqy", "shengyu", "生孩子"]),
    st.text(alphabet="户口迁移生育登记低保 hkqy", max_size=8),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(docs=documents, text=queries, level=st.sampled_from([None, "a", "b"]))
def test_anonymous_searches_only_ever_return_public_documents(docs, text, level):
    with transaction.atomic():
        search_reindex(
            ITEM,
            [
                SearchEntry(
                    object_id=str(n),
                    title="".join(words),
                    is_public=public,
                    facets={"level": ["a" if n % 2 else "b"]},
                )
                for n, (words, public) in enumerate(docs)
            ],
        )
        public_ids = {str(n) for n, (_, public) in enumerate(docs) if public}

        results = search_query(
            text=text,
            kinds=[ITEM],
            filters={"level": [level]} if level else None,
            limit=100,
            log=False,
        )

        assert {hit.object_id for hit in results.hits} <= public_ids
        assert results.total <= len(public_ids)
        assert sum(results.facet_counts["level"].values()) <= len(public_ids)
        transaction.set_rollback(True)
