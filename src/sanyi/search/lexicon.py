"""What this process knows beyond jieba's own dictionary: the domain words taken from
indexed titles and the synonym table.

Kept in memory per process and refreshed when a cached version number moves (bumped after
every commit that changes documents or synonyms) or at the latest every
REFRESH_SECONDS, which also covers a per-process cache in development. Titles are loaded
incrementally (by ``updated_at``), so a refresh after one item is published reads one row.
A refresh also reads the count of documents per kind when this process's is older than
``backends.KIND_COUNTS_SECONDS``, or after documents changed, than
``backends.KIND_COUNTS_CHANGED_SECONDS``. In the steady state a search costs no query here.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

from django.core.cache import cache

from sanyi.search import backends
from sanyi.search import text as search_text
from sanyi.search.models import SearchDocument, Synonym
from sanyi.search.registry import registered_kinds

VERSION_KEY = "search:lexicon:version"
REFRESH_SECONDS = 60
# Rows committed slightly out of order (a long transaction that started earlier) are
# caught by re-reading this much before the watermark; re-adding a word is a no-op.
WATERMARK_SLACK = timedelta(minutes=5)


class _State:
    def __init__(self) -> None:
        self.version: int | None = None
        self.checked_at = 0.0
        self.synonyms: dict[str, tuple[str, ...]] = {}
        self.watermark: datetime | None = None
        self.dictionary_kinds: frozenset[str] = frozenset()
        # Words a resident may have meant ("您是不是要找"): the parts of public titles.
        self.title_words: set[str] = set()
        self.lock = threading.Lock()


_state = _State()


def lexicon_changed() -> None:
    """Tell every process to refresh. Call on commit of any document or synonym change."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, timeout=None)


def lexicon_reset() -> None:
    """Forget what was loaded (tests, after the database was emptied)."""
    with _state.lock:
        _state.version = None
        _state.checked_at = 0.0
        _state.synonyms = {}
        _state.watermark = None
        _state.title_words = set()


def warm_up() -> None:
    """Load what the first search of a process needs (jieba's dictionary, the domain words
    and synonyms, pinyin), so that no resident waits for it (``core.registry`` warm-ups)."""
    search_text.tokenizer()
    search_text.word_pinyin("低保")
    ensure_fresh()
    search_text.query_words("低保怎么办理")


def _dictionary_kinds() -> frozenset[str]:
    return frozenset(k.kind for k in registered_kinds() if k.titles_to_dictionary)


def ensure_fresh() -> None:
    """Load what changed since the last look, if anything may have changed."""
    version = cache.get(VERSION_KEY, 0)
    kinds = _dictionary_kinds()
    if (
        version == _state.version
        and kinds == _state.dictionary_kinds
        and time.monotonic() - _state.checked_at < REFRESH_SECONDS
    ):
        return
    with _state.lock:
        rows = Synonym.objects.filter(is_active=True).values_list("term", "expansions")
        synonyms = {term: tuple(expansions) for term, expansions in rows}
        search_text.add_words(synonyms)
        search_text.add_words(e for expansions in synonyms.values() for e in expansions)
        titles = SearchDocument.objects.filter(kind__in=kinds)
        if _state.watermark is not None and kinds == _state.dictionary_kinds:
            titles = titles.filter(updated_at__gte=_state.watermark - WATERMARK_SLACK)
        newest = _state.watermark if kinds == _state.dictionary_kinds else None
        seen: set[str] = set()
        title_words = _state.title_words if newest is not None else set()
        title_rows = titles.values_list("title", "updated_at", "is_public").iterator(2000)
        for title, updated_at, is_public in title_rows:
            if title not in seen:
                seen.add(title)
                parts = search_text.title_parts(title)
                search_text.add_words(parts)
                if is_public:
                    title_words.update(parts)
            if newest is None or updated_at > newest:
                newest = updated_at
        _state.synonyms = synonyms
        _state.title_words = title_words
        _state.watermark = newest
        _state.dictionary_kinds = kinds
        changed = version != _state.version
        _state.version = version
        _state.checked_at = time.monotonic()
    backends.documents_per_kind(
        backends.KIND_COUNTS_CHANGED_SECONDS if changed else backends.KIND_COUNTS_SECONDS
    )


def synonyms() -> dict[str, tuple[str, ...]]:
    """Active synonyms, term → expansions, as of the last ``ensure_fresh``."""
    return _state.synonyms


def title_words() -> set[str]:
    """The words of public titles (whole titles and their parts), as of the last
    ``ensure_fresh``. A title withdrawn since the process started may linger until restart:
    it is only ever offered as a word to search for."""
    return _state.title_words
