"""Helping a resident while typing and after a search that went wrong.

``typing_suggestions``: what to offer under the search box as the resident types (the
synonym terms that start with it, by characters or by pinyin, then the best results).

``did_you_mean`` ("您是不是要找"): the known words a query that found nothing (or only poor
results) was probably meant to be. Known words are the synonym terms and the words of
public titles (``lexicon``). Three kinds of near miss, best first:

1. pinyin typed for a known word: "dibao" → 低保, "laonianzheng" → 老年证 (full spelling,
   or the initials of a word of three or more characters);
2. a homophone: the same pinyin with other characters, "低宝" → 低保, "个体护" → 个体户;
3. one character wrong, missing or extra: "失业晶" → 失业金, "残疾人两补贴" → 残疾人两项补贴.

Within each, synonym terms come before title words, then shorter words. Pure memory: no
query beyond the lexicon's refresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sanyi.search import lexicon
from sanyi.search import text as search_text

if TYPE_CHECKING:
    from sanyi.orgs.models import User

MAX_TYPO_LENGTH = 12  # longer queries are not checked for one-character slips


@dataclass(frozen=True)
class Suggestion:
    text: str  # what to search for (or the title of a result)
    url: str = ""  # a result's page; blank: search for ``text``


def _known_words() -> dict[str, int]:
    """Known word → priority (0: a synonym term, 1: a word of a title)."""
    words = dict.fromkeys(lexicon.title_words(), 1)
    words.update(dict.fromkeys(lexicon.synonyms(), 0))
    return words


def _one_edit_apart(a: str, b: str) -> bool:
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def _ranked(found: dict[str, int], limit: int, query: str = "") -> list[str]:
    """Synonym terms first; then the same length as typed, the closest sound (longest
    common start of the pinyin), the shorter word."""
    spelled = search_text.word_pinyin(query)[0] if query else ""

    def key(word: str) -> tuple[int, int, int, int, str]:
        sound = search_text.word_pinyin(word)[0]
        common = next(
            (i for i, (a, b) in enumerate(zip(sound, spelled, strict=False)) if a != b),
            min(len(sound), len(spelled)),
        )
        return (found[word], abs(len(word) - len(query)), -common, len(word), word)

    return sorted(found, key=key)[:limit]


def did_you_mean(text: str, *, limit: int = 3) -> list[str]:
    """Known words ``text`` was probably meant to be (none when it is one already)."""
    lexicon.ensure_fresh()
    normalized = search_text.normalize(text)
    known = _known_words()
    if search_text.is_pinyin(normalized):
        typed = "".join(search_text.pinyin_tokens(normalized))
        full = {w: p for w, p in known.items() if search_text.word_pinyin(w)[0] == typed}
        if full:
            return _ranked(full, limit)
        initials = {
            w: p for w, p in known.items() if len(w) >= 3 and search_text.word_pinyin(w)[1] == typed
        }
        return _ranked(initials, limit)
    query = "".join(search_text.query_words(normalized)) or normalized.replace(" ", "")
    if not query or query in known:
        return []
    spelled = search_text.word_pinyin(query)[0]
    homophones = {
        w: p
        for w, p in known.items()
        if w != query and len(w) == len(query) and search_text.word_pinyin(w)[0] == spelled
    }
    if homophones or not spelled:
        return _ranked(homophones, limit)
    if len(query) < 2 or len(query) > MAX_TYPO_LENGTH:
        return []
    near = {w: p for w, p in known.items() if len(w) >= 2 and _one_edit_apart(query, w)}
    return _ranked(near, limit, query)


def typing_suggestions(
    text: str, *, kinds: Sequence[str], viewer: User | None = None, limit: int = 8
) -> list[Suggestion]:
    """What to offer while ``text`` is being typed: up to three synonym terms starting
    with it (or whose pinyin does), then the best results (not logged: a half-typed word
    is no search)."""
    from sanyi.search.selectors import search_query

    normalized = search_text.normalize(text)
    if not normalized:
        return []
    lexicon.ensure_fresh()
    compact = normalized.replace(" ", "")
    pinyin = search_text.is_pinyin(normalized)
    terms = [
        term
        for term in sorted(lexicon.synonyms(), key=lambda t: (len(t), t))
        if term != compact
        and (
            term.startswith(compact)
            or (pinyin and search_text.word_pinyin(term)[0].startswith(compact))
        )
    ][:3]
    suggestions = [Suggestion(term) for term in terms]
    results = search_query(
        text=normalized[:100],
        kinds=kinds,
        viewer=viewer,
        limit=limit,
        log=False,
        prefer_titles=True,
        facets=(),  # titles only: no counts
    )
    seen = set(terms)
    for hit in results.hits:
        if hit.title in seen or hit.tier == 0:
            continue
        seen.add(hit.title)
        suggestions.append(Suggestion(hit.title, "" if hit.needs_area else hit.url))
    return suggestions[:limit]
