"""Benchmark: the disclosure search in one process, statement by statement, on a kept database.

    DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python bench/bench_openness.py --keep
    DATABASE_URL=postgres://user@host:5432/sanyi_bench_open_<pid> \\
        .venv/bin/python bench/bench_search_statements.py [--searches 200] [--seed 11]

The database is one that ``bench_openness.py --keep`` built and kept (100,000 records by
default, indexed), or any SQLite file of the same kind (``DATABASE_URL=sqlite:///…``); it is
only read (the searches are not logged). ``search.selectors.search_query`` is called as the
disclosure portal's search page calls it (an anonymous visitor, the topic facet alone
counted) over ``--searches`` searches of ``bench_openness.request_mixes`` (words, phrases,
a word with a topic or a unit, two words). No page is rendered, so the figures are the
search's own, without the noise of a whole request, and two versions of the code can be
compared on one database by running each one's copy of this script in turn.

Prints p50 / p95 / max / mean of the whole call; per kind of statement (the window's ids,
the page of hits, the facet counts, …) its count and times, fetching the rows included;
and the slowest searches with their statements' times.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_openness  # noqa: E402
from bench_openness import percentile  # noqa: E402

KIND = "openness.publication"


def statement_kind(sql: str) -> str:
    text = sql.lstrip()
    if text.startswith("SET LOCAL"):
        return "transaction setting"
    if text.startswith("WITH matches"):
        return "window ids"
    if text.startswith("SELECT d.kind"):
        return "page of hits"
    if "search_searchfacet" in text and "COUNT(*)" in text:
        return "facet counts"
    return "other: " + text[:40]


class Timer:
    """Times each statement from its execution to its last row fetched (SQLite runs most
    of a statement while its rows are fetched)."""

    def __init__(self) -> None:
        self.statements: list[list] = []

    def install(self) -> None:
        from django.db.backends import utils

        timer = self
        # CursorWrapper hands fetches to the driver's cursor through __getattr__; methods
        # of its own come first.
        for name in ("fetchone", "fetchmany", "fetchall"):

            def fetch(self, *args, _name=name, **kwargs):
                started = time.perf_counter()
                try:
                    with self.db.wrap_database_errors:
                        return getattr(self.cursor, _name)(*args, **kwargs)
                finally:
                    if timer.statements:
                        timer.statements[-1][0] += (time.perf_counter() - started) * 1000

            setattr(utils.CursorWrapper, name, fetch)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.statements.append([(time.perf_counter() - started) * 1000, sql])


def run(args) -> None:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection

    from sanyi.orgs.models import OrgUnit
    from sanyi.search.selectors import search_query

    units = list(OrgUnit.objects.order_by("path"))
    rng = random.Random(args.seed)
    _, search_cases = bench_openness.request_mixes(rng, units)

    def search(params: dict):
        filters = {}
        if "unit" in params:
            filters["org_unit"] = [params["unit"]]
        if "topic" in params:
            filters["topic"] = [params["topic"]]
        return search_query(
            text=params["q"], kinds=[KIND], filters=filters, viewer=AnonymousUser(),
            limit=10, facets=["topic"], log=False,
        )  # fmt: skip

    search({"q": "低保"})  # the lexicon and the segmenter, before the clock starts
    timer = Timer()
    timer.install()
    results = []
    with connection.execute_wrapper(timer):
        for _ in range(args.searches):
            params = search_cases[rng.randrange(len(search_cases))]()
            timer.statements = []
            started = time.perf_counter()
            found = search(params)
            took = (time.perf_counter() - started) * 1000
            results.append((took, params, timer.statements, found.total, found.capped))

    times = [r[0] for r in results]
    print(f"database: {connection.vendor}, {args.searches} searches")
    print(
        f"search_query: p50 {percentile(times, 50):.1f} ms  p95 {percentile(times, 95):.1f} ms  "
        f"max {max(times):.1f} ms  mean {statistics.fmean(times):.1f} ms"
    )
    by_kind: dict[str, list[float]] = {}
    for _, _, statements, _, _ in results:
        for ms, sql in statements:
            by_kind.setdefault(statement_kind(sql), []).append(ms)
    for kind, values in by_kind.items():
        print(
            f"  {kind:<22} n={len(values):<4} p50 {percentile(values, 50):5.1f} ms  "
            f"p95 {percentile(values, 95):5.1f} ms  max {max(values):5.1f} ms"
        )
    print("slowest:")
    for took, params, statements, total, capped in sorted(results, key=lambda r: -r[0])[:8]:
        parts = ", ".join(f"{statement_kind(sql)} {ms:.1f}" for ms, sql in statements)
        print(f"  {took:6.1f} ms {params} total={total}{' capped' if capped else ''}: {parts}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--searches", type=int, default=200)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url or url.rstrip("/").endswith("/postgres"):
        sys.exit("DATABASE_URL must name the kept database (bench_openness.py --keep prints it)")
    bench_openness.setup_django(url, str(Path(os.environ.get("TMPDIR", "/tmp"))))
    run(args)


if __name__ == "__main__":
    main()
