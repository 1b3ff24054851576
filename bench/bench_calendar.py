"""Benchmark: 1,000,000 add_workdays calls on 2026 dates against chinese-calendar.

    .venv/bin/python bench/bench_calendar.py [--calls 1000000] [--sample 10000] [--full]

The WorkCalendar is built from the notice files in src/sanyi/calendar/data (no database).
Inputs: starts drawn uniformly from 2026, n uniformly from 1..60, fixed seed. An input
whose deadline would fall in 2027 is drawn again, because chinese-calendar has no 2027
data and raises for it.

chinese-calendar's ``find_workday(delta_days=n, date=start)`` rolls a non-working start
to the next working day before counting, so ours is called with
``roll_nonworking_start=True`` for a like-for-like comparison; results are compared on
every input given to chinese-calendar.

chinese-calendar walks day by day and rescans its holiday table for every day it looks at,
so a million calls take about half an hour. By default it runs on the first ``--sample``
inputs and its time for all calls is extrapolated from that (the output says so);
``--full`` runs it on every input.

Exit status 1 when ours is less than 20 times faster per call.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

REQUIRED_RATIO = 20
SEED = 20261127


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    # No key file is written for a benchmark that never signs anything.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    import django

    django.setup()


def make_inputs(cal, calls: int) -> list[tuple[date, int]]:
    rng = random.Random(SEED)
    first, days = date(2026, 1, 1), 365
    inputs = []
    while len(inputs) < calls:
        start = first + timedelta(days=rng.randrange(days))
        n = rng.randint(1, 60)
        if cal.add_workdays(start, n, roll_nonworking_start=True).date.year == 2026:
            inputs.append((start, n))
    return inputs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=5_000)
    parser.add_argument("--full", action="store_true", help="run chinese-calendar on every input")
    args = parser.parse_args()

    setup_django()
    import chinese_calendar

    from sanyi.calendar.notice import (
        OFFICIAL_NOTICE_FILES,
        read_notice_file,
        work_calendar_from_notices,
    )

    cal = work_calendar_from_notices([read_notice_file(p) for p in OFFICIAL_NOTICE_FILES])
    inputs = make_inputs(cal, args.calls)

    add = cal.add_workdays
    t0 = time.perf_counter()
    for start, n in inputs:
        add(start, n, roll_nonworking_start=True)
    ours = time.perf_counter() - t0

    sample = inputs if args.full else inputs[: min(args.sample, len(inputs))]
    find = chinese_calendar.find_workday
    theirs_results = []
    t0 = time.perf_counter()
    for start, n in sample:
        theirs_results.append(find(delta_days=n, date=start))
    theirs_sample = time.perf_counter() - t0

    mismatches = [
        (start, n, ours_due, theirs_due)
        for (start, n), theirs_due in zip(sample, theirs_results, strict=True)
        if (ours_due := add(start, n, roll_nonworking_start=True).date) != theirs_due
    ]

    ours_per_call = ours / len(inputs)
    theirs_per_call = theirs_sample / len(sample)
    theirs_total = theirs_per_call * len(inputs)
    ratio = theirs_per_call / ours_per_call

    print(f"工作日推算基准：2026年的起算日，n为1至60，随机种子{SEED}")
    print(
        f"本项目 WorkCalendar.add_workdays：{len(inputs):,}次，用时{ours:.2f}秒，"
        f"每秒{len(inputs) / ours:,.0f}次"
    )
    if len(sample) == len(inputs):
        print(
            f"chinese-calendar find_workday：{len(inputs):,}次，用时{theirs_total:.2f}秒，"
            f"每秒{1 / theirs_per_call:,.0f}次"
        )
    else:
        print(
            f"chinese-calendar find_workday：抽样{len(sample):,}次，用时{theirs_sample:.2f}秒，"
            f"每秒{1 / theirs_per_call:,.0f}次；按此速度外推{len(inputs):,}次约需"
            f"{theirs_total:,.0f}秒（外推值，未实测；--full 可全部实测）"
        )
    if mismatches:
        print(f"结果核对：{len(sample):,}次中有{len(mismatches):,}次不一致，例如：")
        for start, n, ours_due, theirs_due in mismatches[:5]:
            print(f"  {start} + {n}：本项目{ours_due}，chinese-calendar {theirs_due}")
    else:
        print(f"结果核对：两者在这{len(sample):,}次输入上的结果完全一致")
    print(f"速度比：本项目快{ratio:,.1f}倍（要求至少{REQUIRED_RATIO}倍）")
    if mismatches:
        return 1
    return 0 if ratio >= REQUIRED_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
