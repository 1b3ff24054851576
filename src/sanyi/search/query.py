"""From what a resident typed to a boolean match expression, and from that to the syntax of
SQLite FTS5 and PostgreSQL tsquery. Pure: the synonym table comes in as a mapping.

Every word of the query must match (AND). A word matches its own token, or all the
ordinary words it is made of (so "生活保障" finds "最低生活保障"), or any of its synonyms'
expansions (so "低保" finds "最低生活保障"). A pinyin query matches title pinyin tokens by
prefix, so "hukouq" already finds 户口迁移 while it is being typed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sanyi.search import text as search_text

_ASCII_WORD = re.compile(r"^[a-z0-9]+$")


@dataclass(frozen=True)
class Term:
    token: str
    prefix: bool = False


@dataclass(frozen=True)
class All:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Any:
    children: tuple[Node, ...]


Node = Term | All | Any


@dataclass(frozen=True)
class QueryPlan:
    node: Node | None  # None: nothing searchable was typed (only fillers or punctuation)
    highlight_terms: tuple[str, ...]  # Chinese words to mark in titles and snippets
    pinyin: tuple[str, ...] = ()  # a pinyin query's tokens, to find what to mark per title
    # What a title may match, best first: the words as typed, then each official term of
    # the synonym in the order the synonym table lists them. A document ranks by the first
    # of these its title matches (search.selectors); none at all is a body-only match.
    tiers: tuple[Node, ...] = ()


_Group = TypeVar("_Group", All, Any)


def _flat(children: Iterable[Node | None], kind: type[_Group]) -> list[Node]:
    out: list[Node] = []
    for child in children:
        if child is None:
            continue
        out.extend(child.children if isinstance(child, kind) else [child])
    return list(dict.fromkeys(out))


def _all(children: Sequence[Node | None]) -> Node | None:
    unique = _flat(children, All)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else All(tuple(unique))


def _any(children: Sequence[Node | None]) -> Node | None:
    unique = _flat(children, Any)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else Any(tuple(unique))


def _word_node(word: str) -> Node:
    if _ASCII_WORD.match(word):
        # Latin letters: an abbreviation or pinyin typed inside a Chinese query.
        return Term(word, prefix=word.isalpha())
    parts = [
        p
        for p in search_text.fine_words(word)
        if p not in search_text.STOPWORDS and p not in search_text.QUERY_FILLERS
    ]
    if len(parts) > 1 or (parts and parts[0] != word):
        node = _any([Term(word), _all([Term(p) for p in parts])])
        assert node is not None  # it holds at least Term(word)
        return node
    return Term(word)


def _phrase_node(phrase: str) -> Node | None:
    return _all([_word_node(w) for w in search_text.query_words(phrase)])


def build_plan(text: str, synonyms: Mapping[str, Sequence[str]]) -> QueryPlan:
    """The match expression for ``text``; ``synonyms`` maps a term to its expansions."""
    normalized = search_text.normalize(text)
    if search_text.is_pinyin(normalized):
        tokens = search_text.pinyin_tokens(normalized)
        node = _all([Term(t, prefix=True) for t in tokens])
        return QueryPlan(node, (), tuple(tokens), _tiers([node]))
    words = search_text.query_words(normalized)
    highlights: list[str] = list(words)
    groups: list[Node | None] = []  # never None: each holds the word itself
    tiers: list[Node | None] = []
    for word in words:
        alternatives: list[Node | None] = [_word_node(word)]
        for expansion in synonyms.get(word, ()):
            alternatives.append(_phrase_node(expansion))
            highlights.extend(search_text.query_words(expansion))
        groups.append(_any(alternatives))
        if len(words) == 1:
            tiers = list(alternatives)
    node = _all(groups)
    if len(words) > 1:
        tiers = [node]
    whole = normalized.replace(" ", "")
    if len(words) > 1 and whole in synonyms:
        # A synonym term jieba still cuts in two (e.g. learned after this process started).
        expansions = [_phrase_node(e) for e in synonyms[whole]]
        node = _any([node, *expansions])
        tiers.extend(expansions)
        for expansion in synonyms[whole]:
            highlights.extend(search_text.query_words(expansion))
    # Longest first, so a whole word is marked where it appears and its parts elsewhere.
    marked = [p for h in highlights for p in [h, *search_text.fine_words(h)] if len(p) >= 2]
    ordered = sorted(dict.fromkeys(m for m in marked if not _ASCII_WORD.match(m)), key=len)
    return QueryPlan(node, tuple(reversed(ordered)), tiers=_tiers(tiers))


def _tiers(nodes: Sequence[Node | None]) -> tuple[Node, ...]:
    return tuple(dict.fromkeys(n for n in nodes if n is not None))


def to_fts5(node: Node, column: str = "") -> str:
    """SQLite FTS5 MATCH syntax, fully parenthesised; ``column`` limits the match to one
    column (the title tokens)."""
    if column:
        return f"{column} : ({to_fts5(node)})"
    if isinstance(node, Term):
        quoted = '"' + node.token.replace('"', '""') + '"'
        return f"{quoted} *" if node.prefix else quoted
    joiner = " AND " if isinstance(node, All) else " OR "
    return "(" + joiner.join(to_fts5(c) for c in node.children) + ")"


def to_tsquery(node: Node) -> str:
    """PostgreSQL to_tsquery syntax, fully parenthesised. No term names a weight: titles
    are matched in a vector of their own (``backends.TITLE_VECTOR``)."""
    if isinstance(node, Term):
        quoted = "'" + node.token.replace("\\", "\\\\").replace("'", "''") + "'"
        return f"{quoted}:*" if node.prefix else quoted
    joiner = " & " if isinstance(node, All) else " | "
    return "(" + joiner.join(to_tsquery(c) for c in node.children) + ")"
