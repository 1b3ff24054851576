"""Benchmark: the daily jobs `cases warnings` and `requests check-clocks` at 200,000 running
cases and 200,000 open requests for information.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_daily_jobs.py \\
        [--cases 200000] [--requests 200000] [--lapsed 100] [--seed 7] [--keep]

PostgreSQL only. Creates its own database (see bench_cases.bench_database) and drops it.

Set-up: the org tree, staff and items of bench_cases.py, every staff account with an e-mail
address (so each message also writes an outbox row), a disclosure officer per department.
With COPY: ``--cases`` cases in progress accepted over the last 40 days (10-working-day
promise, so most are past it), one open step each (a third claimed), and a closed clock stop
on one in ten; ``--requests`` requests: 90 % running (accepted over the last 40 days, half
assigned), 4 % consulting a third party (an open stop), 3 % awaiting confirmation, and
``--lapsed`` awaiting a correction whose deadline passed yesterday.

Timed, for each job, through the same service functions the scheduler and the commands run:
(delivery queued for the worker as in production, not sent inside the job): a cold run
(no light or warning on record: every yellow and red case is written at once, the
worst case), a second run the same day (nothing changes) and a run on the next working day
(a day's changes). Prints seconds, queries and what each run wrote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_cases  # noqa: E402  (the world, the COPY helpers and the timer)


def prepare_staff(w: dict) -> dict:
    """E-mail addresses for every account and a disclosure officer per department."""
    from sanyi.orgs.models import Role, User
    from sanyi.orgs.tests import factories as org_f

    w["officers"] = [
        org_f.staff(d, Role.DISCLOSURE_OFFICER, username=f"bench_officer{i + 1}")
        for i, d in enumerate(w["depts"])
    ]
    for user in User.objects.all():
        user.email = f"{user.username}@bench.example.org"
        user.save(update_fields=["email"])
    return w


def copy_stops(w: dict, seed: int) -> int:
    """A closed clock stop (5 calendar days, inspection) on one running case in ten."""
    from django.db import connection

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, accepted_on FROM cases_case WHERE status = 'in_progress' AND id % 10 = 0"
        )
        rows = cursor.fetchall()
        stops = []
        for pk, accepted in rows:
            start = accepted + dt.timedelta(days=rng.randint(0, 10))
            stops.append((pk, "inspection", start, start + dt.timedelta(days=5), 3,
                          w["approvers"][0].pk))  # fmt: skip
        bench_cases._copy(
            cursor.cursor,
            "cases_clockstop",
            ["case_id", "reason", "stopped_on", "restarted_on", "days", "stopped_by_id"],
            stops,
        )
    return len(stops)


def copy_requests(w: dict, count: int, lapsed: int, seed: int) -> dict[str, int]:
    """COPY ``count`` requests for information (and the open consultation stops)."""
    from django.db import connection
    from django.utils import timezone

    from sanyi.calendar.selectors import current_calendar

    cal = current_calendar()
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM applicants_applicant")
        a_lo, a_hi = cursor.fetchone()
    days = [today - dt.timedelta(days=n) for n in range(1, 41)]
    due = {d: cal.add_workdays(d, 20, roll_nonworking_start=True).date for d in days}
    officer_of = {o.role_assignments.get().org_unit_id: o.pk for o in w["officers"]}
    mix = [("in_progress", 90), ("consulting", 4), ("awaiting_confirmation", 3)]
    population = [s for s, weight in mix for _ in range(weight)]
    statuses: dict[str, int] = {}
    consulting: list[tuple[str, dt.date]] = []

    def rows():
        for n in range(count + lapsed):
            status = "awaiting_correction" if n >= count else rng.choice(population)
            statuses[status] = statuses.get(status, 0) + 1
            agency = w["depts"][n % len(w["depts"])].pk
            received = rng.choice(days)
            running = status in ("in_progress", "consulting")
            number = f"GK{received.year}-{agency:04d}-{n:07d}"
            if status == "consulting":
                consulting.append((number, received + dt.timedelta(days=3)))
            yield (
                number, agency, rng.randint(a_lo, a_hi), "natural_person", "基准申请人",
                "13900000000",
                "online" if status == "awaiting_confirmation" else "in_person", "x" * 64,
                received, received, "本单位2025年度行政处罚决定书目录", "paper", status,
                officer_of[agency] if running and n % 2 == 0 else None,
                received if running else None, due[received] if running else None,
                received if n >= count else None,
                today - dt.timedelta(days=1) if n >= count else None, now, now,
            )  # fmt: skip

    with connection.cursor() as cursor:
        bench_cases._copy(
            cursor.cursor,
            "disclosure_requests_inforequest",
            ["number", "agency_id", "applicant_id", "applicant_column", "contact_name",
             "contact_phone", "channel", "query_code_hash", "submitted_on", "received_on",
             "description", "delivery_form", "status", "assigned_to_id", "clock_start_on",
             "reply_due_on", "correction_notice_on", "correction_due_on", "created_at",
             "updated_at"],
            rows(),
        )  # fmt: skip
        cursor.execute(
            "SELECT number, id FROM disclosure_requests_inforequest WHERE status = 'consulting'"
        )
        ids = dict(cursor.fetchall())
        bench_cases._copy(
            cursor.cursor,
            "disclosure_requests_clockstop",
            ["request_id", "kind", "started_on", "expected_end_on", "created_at"],
            (
                (ids[number], "consultation", start,
                 cal.add_workdays(start, 15, roll_nonworking_start=False).date, now)
                for number, start in consulting
            ),
        )  # fmt: skip
        cursor.execute("ANALYZE")
    return statuses


def written() -> dict[str, int]:
    from sanyi.audit.models import AuditEvent
    from sanyi.cases.models import CaseEvent
    from sanyi.disclosure_requests.models import RequestEvent
    from sanyi.notify.models import Message, OutboxMessage

    return {
        "case ledger": CaseEvent.objects.count(),
        "request ledger": RequestEvent.objects.count(),
        "inbox": Message.objects.count(),
        "outbox": OutboxMessage.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def run_job(label: str, fn, *, profile: bool = False) -> None:
    """Run ``fn`` once, timed; with ``profile``, under cProfile (slower) with its top lines."""
    import cProfile
    import pstats

    before = written()
    result: dict = {}

    def call() -> None:
        result["r"] = fn()

    profiler = cProfile.Profile()
    stats = bench_cases.timed((lambda: profiler.runcall(call)) if profile else call, 1)
    after = written()
    if profile:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
    delta = ", ".join(f"{k} +{after[k] - before[k]:,}" for k in after if after[k] != before[k])
    print(
        f"{label:44} {stats['max'] / 1000:8.1f} s {stats['queries']:8,} queries  "
        f"{result['r']}  wrote: {delta or 'nothing'}"
    )


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from sanyi.calendar.selectors import current_calendar
    from sanyi.cases.services import case_update_warnings
    from sanyi.disclosure_requests.services import requests_close_lapsed, requests_warn

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    w = prepare_staff(bench_cases.build_world())
    print(f"migrate, org tree, staff and items: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    stats = bench_cases.generate(w, args.cases, args.seed, mix=(("in_progress", 1),), lights=False)
    stops = copy_stops(w, args.seed)
    requests = copy_requests(w, args.requests, args.lapsed, args.seed)
    print(
        f"COPY {args.cases:,} running cases, {stats['open_tasks']:,} open steps, {stops:,} "
        f"clock stops, requests {requests}: {time.perf_counter() - t0:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    today = timezone.localdate()
    tomorrow = current_calendar().add_workdays(today, 1).date
    print(f"\ntoday {today}, next working day {tomorrow}")
    for label, day in (
        ("cold (no light on record)", today),
        ("again the same day", today),
        ("next working day", tomorrow),
    ):
        run_job(
            f"cases warnings, {label}",
            lambda day=day: case_update_warnings(today=day),
            profile=args.profile and label.startswith("cold"),
        )
    for label, day in (
        ("cold (no warning on record)", today),
        ("again the same day", today),
        ("next working day", tomorrow),
    ):

        def check_clocks(day=day) -> str:
            closed = requests_close_lapsed(today=day)
            return f"closed {closed}, messages {requests_warn(today=day)}"

        run_job(
            f"requests check-clocks, {label}",
            check_clocks,
            profile=args.profile and label.startswith("cold"),
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=200_000, help="running cases")
    parser.add_argument("--requests", type=int, default=200_000, help="open requests")
    parser.add_argument("--lapsed", type=int, default=100, help="lapsed corrections")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile the cold runs")
    args = parser.parse_args()
    # As in production: delivery is queued for the worker (a task row per 500 outbox rows),
    # not run inside the job.
    os.environ["SANYI_TASKS_BACKEND"] = "database"
    with bench_cases.bench_database("sanyi_bench_jobs", keep=args.keep):
        run(args)


if __name__ == "__main__":
    main()
