"""Chinese text for search: normalisation, jieba segmentation, pinyin, the domain dictionary.

Pure functions over strings; nothing here touches the database. ``lexicon`` feeds the
domain words (indexed titles, synonym terms) in, ``services`` and ``query`` call the
segmenters. Index and query sides use the same segmenter with HMM off, so a word is cut the
same way wherever it appears: HMM "new word" guesses depend on the neighbouring characters
and would make a query miss the document it was typed from.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.conf import settings

# Longest run of title words whose pinyin is indexed as one token ("hukouqianyidengji").
PINYIN_MAX_RUN_WORDS = 6
PINYIN_MAX_RUN_CHARS = 12

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_TOKEN = re.compile(r"[^\W_]+")
_LATIN_QUERY = re.compile(r"^[a-z' ]+$")
# Where an item name splits into parts: brackets, separators and the words that join
# two subjects ("户口迁移（市内）", "出生医学证明首次签发/补发").
_PART_SPLIT = re.compile(r"[\s（）()【】\[\]《》〈〉、，,；;：:/／·・\-—_]+")
# Action words that end most item names; the part before them is the subject residents
# search for ("户口迁移登记" → "户口迁移").
# fmt: off
_ACTION_SUFFIXES = (
    "登记", "许可", "备案", "证明", "补贴", "津贴", "变更", "注销", "申请", "办理", "审批",
    "核准", "确认", "认定", "发放", "核发", "换领", "补领", "补发", "签发", "申领", "审核",
    "延续", "转移", "接续", "给付", "服务", "查询", "证",
)
# fmt: on

# Function words that carry no meaning on their own; dropped on both sides.
STOPWORDS = frozenset("的了和与及或在是等之其于为对由将把被从向按以并而且也就都着个这那该此各")
# Words residents wrap around what they need ("生孩子怎么办理", "在哪里办低保"); dropped
# from queries only, so they never make an otherwise good query come back empty.
# fmt: off
QUERY_FILLERS = frozenset((
    "怎么", "怎么办", "怎样", "如何", "哪里", "哪儿", "在哪", "在哪里", "去哪", "去哪里",
    "哪个", "什么", "啥", "需要", "要", "想", "我", "我们", "你", "请问", "可以", "能",
    "能否", "吗", "呢", "吧", "啊", "办", "办理", "申请", "手续", "流程", "去", "到", "给",
    "有", "没有", "领", "领取", "一下", "咋", "咋办", "怎么样",
))
# fmt: on

_init_lock = threading.Lock()
_tokenizer = None
# Words this process added to jieba (titles, their parts, synonym terms). ``fine_words``
# cuts them back into the ordinary words they are made of.
_domain_words: set[str] = set()


_LINE_BREAKS = re.compile(r"[\t\n\r]")
# Control characters (Cc) and the invisible format characters (Cf) seen in pasted text.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]"
)


def strip_control(text: str) -> str:
    """``text`` without control and format characters (NUL, zero-width space…), which
    PostgreSQL refuses or which hide inside words; line breaks and tabs become spaces."""
    return _CONTROL.sub("", _LINE_BREAKS.sub(" ", text or ""))


def normalize(text: str) -> str:
    """Full-width to half-width (NFKC), lower case, runs of space collapsed."""
    text = unicodedata.normalize("NFKC", strip_control(text)).lower()
    return " ".join(text.split())


def _jieba_cache_dir() -> str:
    # jieba saves its 350 000-word prefix dictionary on first load; keeping it in the data
    # folder makes every later start read it back in a fraction of a second.
    for candidate in (Path(settings.DATA_DIR) / "cache", Path(tempfile.gettempdir())):
        try:
            candidate.mkdir(parents=True, exist_ok=True)
        except OSError:
            continue
        if os.access(candidate, os.W_OK):
            return str(candidate)
    return tempfile.gettempdir()


def tokenizer() -> Any:
    """The process-wide jieba tokenizer, loaded once, lazily and quietly."""
    global _tokenizer
    if _tokenizer is not None:
        return _tokenizer
    with _init_lock:
        if _tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            jieba.dt.tmp_dir = _jieba_cache_dir()
            jieba.dt.cache_file = "sanyi-jieba.cache"
            jieba.dt.initialize()
            _tokenizer = jieba.dt
    return _tokenizer


def add_words(words: Iterable[str]) -> int:
    """Teach jieba domain words (item names, their parts, synonym terms). Returns how many
    were new. Adding a word twice is a no-op, so callers need not track what they sent."""
    tk = tokenizer()
    added = 0
    for word in words:
        word = normalize(word).replace(" ", "")
        if len(word) < 2 or word in _domain_words or not _CJK_RUN.fullmatch(word):
            continue
        if tk.FREQ.get(word):
            continue  # an ordinary word already
        # A domain word must beat the ordinary words it is made of, whatever its length.
        tk.add_word(word, freq=max(tk.suggest_freq(word, tune=False), 10))
        _domain_words.add(word)
        added += 1
    if added:
        _cut_block.cache_clear()
        _inner_words.cache_clear()
    return added


def title_parts(title: str) -> list[str]:
    """The words an item name contributes to the dictionary: the whole name, its pieces
    between brackets and separators, and each piece without its action suffix."""
    title = normalize(title)
    parts = [title.replace(" ", "")]
    for piece in _PART_SPLIT.split(title):
        if not piece:
            continue
        parts.append(piece)
        for suffix in _ACTION_SUFFIXES:
            if piece.endswith(suffix) and len(piece) - len(suffix) >= 2:
                parts.append(piece[: -len(suffix)])
                break
    return [p for p in dict.fromkeys(parts) if 2 <= len(p) <= 30]


def _top_words(text: str) -> Iterator[str]:
    """jieba's precise cut (HMM off), tokens only (no punctuation or spaces)."""
    import jieba

    # jieba cuts each run of word characters on its own; cutting run by run here gives the
    # same words and lets the boilerplate that fills service guides be cut only once.
    for block in jieba.re_han_default.split(text):
        if block and jieba.re_han_default.match(block):
            yield from _cut_block(block)


@functools.lru_cache(maxsize=100_000)
def _cut_block(block: str) -> tuple[str, ...]:
    return tuple(w for w in tokenizer().cut(block, HMM=False) if _TOKEN.fullmatch(w))


def fine_words(word: str) -> list[str]:
    """Cut ``word`` into ordinary dictionary words, ignoring the domain words added by this
    process: "户口迁移登记" → ["户口", "迁移", "登记"]."""
    if len(word) <= 1 or not _CJK_RUN.fullmatch(word):
        return [word]
    tk = tokenizer()
    dag = tk.get_DAG(word)
    for start, ends in dag.items():
        kept = [end for end in ends if end == start or word[start : end + 1] not in _domain_words]
        dag[start] = kept
    route: dict[int, tuple[float, int]] = {}
    tk.calc(word, dag, route)
    words, i = [], 0
    while i < len(word):
        j = route[i][1] + 1
        words.append(word[i:j])
        i = j
    return words


def _grams(word: str) -> Iterator[str]:
    # The 2- and 3-character dictionary words inside a long word, as jieba's search mode
    # does, so "养老保险" is found inside "城乡居民基本养老保险".
    freq = tokenizer().FREQ
    for n in (2, 3):
        for i in range(len(word) - n + 1):
            gram = word[i : i + n]
            if freq.get(gram):
                yield gram


def index_words(text: str) -> list[str]:
    """Every token a document is found by: each word, and inside longer words their
    ordinary words and 2-3 character dictionary words. Order kept, repeats kept (they
    count for ranking)."""
    out: list[str] = []
    for word in _top_words(normalize(text)):
        if word in STOPWORDS:
            continue
        out.append(word)
        if len(word) > 2:
            out.extend(_inner_words(word))
    return out


@functools.lru_cache(maxsize=200_000)
def _inner_words(word: str) -> tuple[str, ...]:
    # Words repeat a lot across documents; the cache is emptied when the dictionary grows.
    if not _CJK_RUN.fullmatch(word):
        return ()
    parts = fine_words(word)
    inner = [p for p in parts if p not in STOPWORDS] if len(parts) > 1 else []
    inner.extend(g for g in _grams(word) if g not in parts and g != word)
    return tuple(inner)


def query_words(text: str) -> list[str]:
    """The words of a query, fillers and function words dropped."""
    return [w for w in _top_words(normalize(text)) if w not in STOPWORDS and w not in QUERY_FILLERS]


@functools.lru_cache(maxsize=65536)
def word_pinyin(word: str) -> tuple[str, str]:
    """Full spelling and initials of a Chinese word: 户口 → ("hukou", "hk")."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(word, style=Style.NORMAL, errors="ignore")
    return "".join(syllables), "".join(s[0] for s in syllables if s)


def _pinyin_runs(title: str) -> Iterator[tuple[tuple[int, int], str, str, str]]:
    """(where it starts, characters, full spelling, initials) of every run of up to
    PINYIN_MAX_RUN_WORDS consecutive title words, at least two characters long; the runs
    from one start come shortest first."""
    for number, run in enumerate(_CJK_RUN.findall(normalize(title))):
        words = [w for top in _top_words(run) for w in fine_words(top)]
        spelled = [word_pinyin(w) for w in words]
        for i in range(len(words)):
            chars = 0
            for j in range(i, min(len(words), i + PINYIN_MAX_RUN_WORDS)):
                chars += len(words[j])
                if chars > PINYIN_MAX_RUN_CHARS:
                    break
                if chars < 2:
                    continue
                yield (
                    (number, i),
                    "".join(words[i : j + 1]),
                    "".join(s[0] for s in spelled[i : j + 1]),
                    "".join(s[1] for s in spelled[i : j + 1]),
                )


def title_pinyin(title: str) -> list[str]:
    """Pinyin tokens of a title: for every run of consecutive words (up to
    PINYIN_MAX_RUN_WORDS), the full spelling and the initials. "户口迁移" gives hukou, hk,
    hukouqianyi, hkqy, qianyi, qy, so "hkqy" and "hukou" both find it."""
    tokens: list[str] = []
    for _, _, full, initials in _pinyin_runs(title):
        if full:
            tokens.append(full)
        if len(initials) >= 2:
            tokens.append(initials)
    return list(dict.fromkeys(tokens))


def pinyin_matches(title: str, tokens: Iterable[str]) -> list[str]:
    """The parts of ``title`` a pinyin query matched, for highlighting: for each token, the
    shortest runs whose full spelling or initials start with it ("hkqy" → 户口迁移)."""
    runs = list(_pinyin_runs(title))
    found: list[str] = []
    for token in tokens:
        covered: set[tuple[int, int]] = set()
        for start, chars, full, initials in runs:
            if start in covered:
                continue
            if (len(full) >= len(token) and full.startswith(token)) or (
                len(initials) >= len(token) and initials.startswith(token)
            ):
                found.append(chars)
                covered.add(start)
    return list(dict.fromkeys(found))


def is_pinyin(text: str) -> bool:
    """True when the query is Latin letters only (spaces and apostrophes allowed):
    "hkqy", "hukou qianyi", "xi'an"."""
    text = normalize(text)
    return bool(text) and bool(_LATIN_QUERY.fullmatch(text)) and any(c.isalpha() for c in text)


def pinyin_tokens(text: str) -> list[str]:
    """The tokens a pinyin query is matched with (each as a prefix): "Hukou Qian" →
    ["hukou", "qian"]."""
    return [t for t in re.split(r"[\s']+", normalize(text)) if t]


def index_tokens(title: str, body: str) -> tuple[str, str]:
    """What a document is stored with in the full-text index: (title tokens, all tokens),
    each space-separated. Title tokens carry the title's pinyin; all tokens repeat the
    title tokens so one column can answer any query."""
    title_tokens = index_words(title) + title_pinyin(title)
    all_tokens = title_tokens + index_words(body)
    return " ".join(title_tokens), " ".join(all_tokens)
