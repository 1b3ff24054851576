"""一看就懂, measured: a readability score for prose residents read — the guides of the
catalogue (lint rule L022) and the publications of the openness app.

Both apps import this module; the walking of their own records (which fields are prose)
stays with them (``catalog.readability``, ``openness.readability``).

Prose is given as several texts, each read on its own. It is cut into sentences at
。！？；！？ and line breaks; a sentence's length counts its Chinese characters, letters and
digits. jieba (with part-of-speech tags, the search tokenizer) cuts the words.

Score, from 100 points down, never below 0:

- average sentence length: 1 point for each character above ``AVERAGE_OK`` (25);
- longest sentence: 1 point for each 2 characters above ``LONGEST_OK`` (60);
- jargon: ``JARGON_COST`` (4) points for each use of a term of the plain-words glossary
  (``data/plain_words.csv``: term, plain wording, note — kept as data, edited like any
  data file; the setting ``SANYI_PLAIN_WORDS``, or the older ``SANYI_CATALOG_PLAIN_WORDS``,
  points at another copy);
- stacked bureaucratic phrases, ``STACK_COST`` (4) points each:
  - three or more 的 in one clause (between two punctuation marks): "申请人的户籍的证明的复印件";
  - an empty verb before a nominalised verb or 工作: 进行审核, 予以办理, 加以核实, 开展……工作
    (say 审核, 办理, 核实);
  - three or more nominalised verbs in a row (jieba tag ``vn``): "审核登记备案".

Prose passes at ``THRESHOLD`` (70) points; below it the callers warn with the main causes
(a warning, never a block).
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings

THRESHOLD = 70
AVERAGE_OK = 25
LONGEST_OK = 60
JARGON_COST = 4
STACK_COST = 4

PLAIN_WORDS_PATH = Path(__file__).with_name("data") / "plain_words.csv"
SENTENCE_END = re.compile(r"[。！？；!?;\n]+")
CLAUSE_END = re.compile(r"[，,、：:。！？；!?;\n（）()“”]+")
COUNTED = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
EMPTY_VERBS = ("进行", "予以", "加以", "给予", "开展")
EMPTY_VERB_WORK = re.compile(r"(?:进行|开展|做好)[^，,。；;、]{0,8}?工作")


@dataclass(frozen=True)
class PlainWord:
    term: str
    plain: str
    note: str = ""


@dataclass
class Readability:
    score: int
    sentences: int
    average_length: float
    longest: int
    jargon: list[tuple[str, str]] = field(default_factory=list)  # (term, plain) per use
    stacked: list[str] = field(default_factory=list)  # the phrases found

    @property
    def passes(self) -> bool:
        return self.score >= THRESHOLD

    def causes(self) -> list[str]:
        """The main reasons for a low score, in plain Chinese."""
        out = []
        if self.average_length > AVERAGE_OK:
            out.append(f"句子平均{self.average_length:.0f}字（宜在{AVERAGE_OK}字以内）")
        if self.longest > LONGEST_OK:
            out.append(f"最长的句子{self.longest}字（宜在{LONGEST_OK}字以内）")
        if self.jargon:
            pairs = dict.fromkeys(f"“{t}”可写作“{p}”" for t, p in self.jargon)
            out.append("术语：" + "；".join(pairs))
        if self.stacked:
            out.append("公文腔：" + "；".join(dict.fromkeys(f"“{s}”" for s in self.stacked)))
        return out


def plain_words_path() -> Path:
    configured = getattr(settings, "SANYI_PLAIN_WORDS", "") or getattr(
        settings, "SANYI_CATALOG_PLAIN_WORDS", ""
    )
    return Path(configured or PLAIN_WORDS_PATH)


@functools.lru_cache(maxsize=4)
def _load_plain_words(path: str, mtime: float) -> tuple[PlainWord, ...]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    words = [
        PlainWord(r["术语"].strip(), r["通俗说法"].strip(), (r.get("说明") or "").strip())
        for r in rows
        if (r.get("术语") or "").strip()
    ]
    # Longest first, so "不予受理" is found before any shorter term inside it.
    return tuple(sorted(words, key=lambda w: -len(w.term)))


def plain_words() -> tuple[PlainWord, ...]:
    """The glossary of jargon with plain replacements, re-read when the file changes."""
    path = plain_words_path()
    return _load_plain_words(str(path), path.stat().st_mtime)


def _length(sentence: str) -> int:
    return len(COUNTED.findall(sentence))


def _jargon(text: str, words: tuple[PlainWord, ...]) -> list[tuple[str, str]]:
    if not words:
        return []
    pattern = re.compile("|".join(re.escape(w.term) for w in words))
    plain = {w.term: w.plain for w in words}
    return [(m.group(0), plain[m.group(0)]) for m in pattern.finditer(text)]


@functools.lru_cache(maxsize=1)
def _pos_tokenizer() -> Any:
    from jieba.posseg import POSTokenizer

    from sanyi.search.text import tokenizer

    return POSTokenizer(tokenizer())


def _stacked(text: str) -> list[str]:
    found: list[str] = []
    for clause in CLAUSE_END.split(text):
        if clause.count("的") >= 3:
            found.append(clause)
    found += [m.group(0) for m in EMPTY_VERB_WORK.finditer(text)]
    for clause in CLAUSE_END.split(text):
        if not clause:
            continue
        pairs = [(p.word, p.flag) for p in _pos_tokenizer().cut(clause, HMM=False)]
        run: list[str] = []
        for i, (word, flag) in enumerate(pairs):
            if word in EMPTY_VERBS and i + 1 < len(pairs) and pairs[i + 1][1] in ("vn", "v"):
                found.append(word + pairs[i + 1][0])
            if flag == "vn":
                run.append(word)
                continue
            if len(run) >= 3:
                found.append("".join(run))
            run = []
        if len(run) >= 3:
            found.append("".join(run))
    return found


def text_readability(texts: Iterable[str]) -> Readability:
    """The readability of some prose (several fields, each read on its own). The result
    is shared between callers (lint and the quality pages read the same texts): do not
    change it."""
    return _measure(tuple(texts), plain_words())


@functools.lru_cache(maxsize=4096)
def _measure(texts: tuple[str, ...], words: tuple[PlainWord, ...]) -> Readability:
    lengths: list[int] = []
    jargon: list[tuple[str, str]] = []
    stacked: list[str] = []
    for text in texts:
        text = (text or "").strip()
        if not text:
            continue
        lengths += [n for n in (_length(s) for s in SENTENCE_END.split(text)) if n]
        jargon += _jargon(text, words)
        stacked += _stacked(text)
    average = sum(lengths) / len(lengths) if lengths else 0.0
    longest = max(lengths, default=0)
    penalty = (
        max(0.0, average - AVERAGE_OK)
        + max(0, longest - LONGEST_OK) / 2
        + JARGON_COST * len(jargon)
        + STACK_COST * len(stacked)
    )
    return Readability(
        score=max(0, round(100 - penalty)),
        sentences=len(lengths),
        average_length=round(average, 1),
        longest=longest,
        jargon=jargon,
        stacked=stacked,
    )
