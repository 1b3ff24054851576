"""Measuring search quality: a set of queries residents type, each with the result they
mean, run through the real search; the share found first (top 1) and among the first
three (top 3). Kept generic: an app registers its set of queries
(``registry.register_evaluation_set``); ``sanyi search evaluate`` and the owning app's
tests run it.

The file: one case per line, ``query<TAB>expected title``; blank lines and lines starting
with ``#`` are skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ValidationError

from sanyi.search.selectors import search_query

DEPTH = 3


@dataclass(frozen=True)
class EvaluationCase:
    query: str
    expected: str


@dataclass(frozen=True)
class EvaluationRow:
    case: EvaluationCase
    rank: int | None  # 1-based position of the expected title among the first DEPTH
    found: tuple[str, ...]  # the titles found, best first


@dataclass(frozen=True)
class EvaluationReport:
    rows: list[EvaluationRow]

    @property
    def top1(self) -> float:
        return self._share(1)

    @property
    def top3(self) -> float:
        return self._share(3)

    @property
    def misses(self) -> list[EvaluationRow]:
        return [r for r in self.rows if r.rank is None]

    def _share(self, depth: int) -> float:
        if not self.rows:
            return 0.0
        return sum(1 for r in self.rows if r.rank is not None and r.rank <= depth) / len(self.rows)

    def summary(self) -> str:
        return f"{len(self.rows)}个查询：第一条命中 {self.top1:.1%}，前三条命中 {self.top3:.1%}"


def load_cases(path: str | Path) -> list[EvaluationCase]:
    """The cases of a file; a malformed line is an error naming its number."""
    cases = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        parts = [p.strip() for p in line.split("\t")]
        if len(parts) != 2 or not all(parts):
            raise ValidationError(f"第{number}行应为“搜索词<Tab>应找到的标题”")
        cases.append(EvaluationCase(parts[0], parts[1]))
    return cases


def evaluate(
    cases: Sequence[EvaluationCase], *, kinds: Sequence[str], area_paths: Sequence[str] = ()
) -> EvaluationReport:
    """Run every case as an anonymous resident would (not logged)."""
    rows = []
    for case in cases:
        results = search_query(
            text=case.query,
            kinds=kinds,
            limit=DEPTH,
            log=False,
            prefer_titles=True,
            area_paths=area_paths,
            facets=(),
        )
        found = tuple(hit.title for hit in results.hits)
        rank = found.index(case.expected) + 1 if case.expected in found else None
        rows.append(EvaluationRow(case, rank, found))
    return EvaluationReport(rows)
