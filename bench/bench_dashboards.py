"""Benchmark: the dashboards (数据驾驶舱) and the public statistics over 1,000,000 cases.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_dashboards.py \
        [--count 1000000] [--calls 100] [--seed 7] [--keep | --reuse DBNAME]

PostgreSQL only. The script creates its own database sanyi_bench_dash_<pid> on the server
of DATABASE_URL (the user needs CREATEDB), migrates it and drops it at the end unless
``--keep`` is given; ``--reuse NAME`` times an earlier ``--keep`` database again without
generating anything.

Set-up: the org tree, staff and items of bench_cases.py (a district, 6 subdistricts × 5
communities, 8 departments, one published item each), 20,000 applicants, then with
PostgreSQL COPY ``--count`` cases received over the last three years, spread over the
district centre, the subdistricts and the communities (receiving units) and over the
three channels, so a day has up to units × items × channels fact rows (the worst case
for the rollups): about 80 % concluded (two thirds of them within the promised time,
0-2 visits), the rest running or stopped before acceptance. Then the daily rollup of
every day (``rollup_rebuild``), timed.

Timed, ``--calls`` times each: the rollup reads (``analytics.selectors``) for the district
supervisor and a community supervisor, then every page through the test client with a
signed-in session, as a browser asks for them (middleware, scope, queries, templates):
the dashboard over the last 12 months for both supervisors, for one unit and for one
item, its print view and API, two drill-down lists (first page and the capped count) and
the public statistics page and API. Prints p50/p95/max in milliseconds and the queries
per call (sessions and sign-in checks included).
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_cases  # noqa: E402  (the same world and COPY helper as the case benchmark)

ACTOR = "系统：基准测试"


def generate(w: dict, count: int, seed: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from sanyi.calendar.selectors import current_calendar

    cal = current_calendar()
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()

    t0 = time.perf_counter()
    a_lo, a_hi = bench_cases.copy_applicants(now)

    start = today - dt.timedelta(days=3 * 365)
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    promised = {d: cal.add_workdays(d, 10, roll_nonworking_start=True).date for d in days}
    statutory = {d: cal.add_workdays(d, 20, roll_nonworking_start=True).date for d in days}
    late = {d: cal.add_workdays(d, 13, roll_nonworking_start=True).date for d in days}
    quick = {d: cal.add_workdays(d, 4, roll_nonworking_start=True).date for d in days}
    units = [w["district"], *w["subs"], *w["comms"]]
    items = [(v.implementation_item_id, v.pk, v.implementation_item.implementation_code)
             for v in w["versions"]]  # fmt: skip
    columns = [
        "number", "query_code_hash", "applicant_id", "implementation_item_id",
        "item_version_id", "form_data", "channel", "status", "idempotency_key", "center_id",
        "window_id", "unit_id", "current_unit_id", "acceptance_decision", "acceptance_reason",
        "acceptance_basis", "accepted_on", "accepted_at", "is_instant", "statutory_days",
        "promised_days", "extension_days", "statutory_due_on", "promised_due_on",
        "due_provisional", "stopped_days", "warning_level", "decision", "decision_reason",
        "decision_basis", "concluded_on", "concluded_at", "delivery_method", "visits",
        "submitted_at", "created_at", "updated_at",
    ]  # fmt: skip
    seq: dict[tuple[str, dt.date], int] = {}

    def aware(day: dt.date, hour: int) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    def rows():
        for n in range(count):
            item_id, version_id, code = items[n % len(items)]
            unit = units[rng.randrange(len(units))]
            channel = rng.choice(("online", "online", "window", "post"))
            received = rng.choice(days)
            key = (code, received)
            seq[key] = seq.get(key, 0) + 1
            number = f"{code}-{received:%Y%m%d}-{seq[key]:05d}"
            roll = rng.random()
            status = "delivered" if roll < 0.8 else ("in_progress" if roll < 0.95 else "precheck")
            accepted = status != "precheck"
            done_on = (late if rng.random() < 0.3 else quick)[received]
            done = status == "delivered" and done_on <= today
            if status == "delivered" and not done:
                status = "in_progress"
            at = aware(received, 9 + n % 8)
            yield (
                number, "", rng.randint(a_lo, a_hi), item_id, version_id, "{}", channel,
                status, "", w["center"].pk, None, unit.pk, unit.pk,
                "accept" if accepted else "", "", "", received if accepted else None,
                at if accepted else None, False, 20 if accepted else None,
                10 if accepted else None, 0, statutory[received] if accepted else None,
                promised[received] if accepted else None, False, 0, "none",
                "approve" if done else "", "", "", done_on if done else None,
                aware(done_on, 16) if done else None, "window" if done else "",
                0 if channel != "window" and n % 3 else (1 if n % 5 else 2),
                at if channel == "online" else None, at, at,
            )  # fmt: skip

    with connection.cursor() as cursor:
        bench_cases._copy(cursor.cursor, "cases_case", columns, rows())
        cursor.execute("ANALYZE")
    return {"seconds": time.perf_counter() - t0, "start": start, "end": today}


def pages(w: dict, today: dt.date) -> list[tuple[str, str | None, str]]:
    """(label, username or None for anonymous, URL) of every page timed."""
    from django.urls import NoReverseMatch, reverse

    start = today - dt.timedelta(days=364)
    period = f"start={start:%Y-%m-%d}&end={today:%Y-%m-%d}"
    community = w["comms"][0]
    wanted = [
        ("dashboard, district supervisor", "bench_supervisor", "workbench:analytics:dashboard",
         period),
        ("dashboard, community supervisor", "bench_comm_supervisor",
         "workbench:analytics:dashboard", period),
        ("dashboard of one unit", "bench_supervisor", "workbench:analytics:dashboard",
         f"{period}&unit={community.pk}"),
        ("dashboard of one item", "bench_supervisor", "workbench:analytics:dashboard",
         f"{period}&item={w['versions'][0].implementation_item_id}"),
        ("dashboard print view", "bench_supervisor", "workbench:analytics:print",
         period),
        ("dashboard API", "bench_supervisor", "api:analytics-dashboard", period),
        ("drill-down: concluded late", "bench_supervisor", "workbench:analytics:cases",
         f"{period}&measure=concluded_late"),
        ("drill-down: received, one unit", "bench_supervisor", "workbench:analytics:cases",
         f"{period}&measure=received&unit={community.pk}"),
        ("public statistics", None, "statistics:home", ""),
        ("public statistics API", None, "api:statistics", ""),
    ]  # fmt: skip
    out = []
    for label, user, name, query in wanted:
        try:
            url = reverse(name)
        except NoReverseMatch:
            print(f"(skipped {label}: no URL named {name})")
            continue
        out.append((label, user, f"{url}?{query}" if query else url))
    return out


def run(args) -> None:
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from sanyi.analytics.services.rollup import rollup_rebuild
    from sanyi.orgs.models import Role, User
    from sanyi.orgs.tests import factories as org_f

    today = timezone.localdate()
    if not args.reuse:
        t0 = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t0:.1f} s")
        w = bench_cases.build_world()
        org_f.staff(w["comms"][0], Role.SUPERVISOR, username="bench_comm_supervisor")
        stats = generate(w, args.count, args.seed)
        print(f"COPY {args.count:,} cases over three years: {stats['seconds']:.1f} s")
        result = rollup_rebuild(start=stats["start"], end=stats["end"], actor=ACTOR)
        print(
            f"rollup of {result.days:,} days: {result.rows:,} fact rows, "
            f"{result.seconds:.1f} s ({result.seconds / result.days * 1000:.0f} ms a day)"
        )
    else:
        call_command("migrate", verbosity=0)
        fill_months()
    w = rebuild_world_refs()
    time_selectors(args.calls, today)
    logging.disable(logging.INFO)  # the sign-in library logs every forced login
    clients: dict[str | None, Client] = {}
    print(f"\n{args.calls} calls each, last 12 months; ms (a signed-in session, as a browser)")
    print(f"{'page':34} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>8}")
    for label, username, url in pages(w, today):
        if username not in clients:
            clients[username] = Client()
            if username:
                clients[username].force_login(User.objects.get(username=username))
        client = clients[username]

        def call(url=url, client=client):
            response = client.get(url, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200, (url, response.status_code)
            return response

        call()
        r = bench_cases.timed(call, args.calls)
        print(f"{label:34} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} {r['queries']:>8}")


def time_selectors(calls: int, today: dt.date) -> None:
    """The rollup reads under every dashboard: the period's totals and the series (per
    month for a year, per day up to three months)."""
    from sanyi.analytics import selectors
    from sanyi.orgs.models import User

    start = today - dt.timedelta(days=364)
    print(f"\n{calls} calls each, rollup reads; ms")
    print(f"{'read':34} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>8}")
    for who in ("bench_supervisor", "bench_comm_supervisor"):
        reads = {
            "totals": lambda who=who: selectors.totals(
                User.objects.get(username=who), start=start, end=today
            ),
            "per month, 12 months": lambda who=who: selectors.sums(
                User.objects.get(username=who), start=start, end=today, by=("month",)
            ),
            "per day, 91 days": lambda who=who: selectors.sums(
                User.objects.get(username=who),
                start=today - dt.timedelta(days=90),
                end=today,
                by=("day",),
            ),
        }
        for name, fn in reads.items():
            r = bench_cases.timed(fn, calls)
            label = f"{name}, {who.removeprefix('bench_')}"
            print(
                f"{label:34} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f} {r['queries']:>8}"
            )


def fill_months() -> None:
    """Monthly facts for a kept database whose daily facts predate them."""
    from django.db import transaction

    from sanyi.analytics.models import DailyFact, MonthlyFact
    from sanyi.analytics.services import refresh_month

    if MonthlyFact.objects.exists() or not DailyFact.objects.exists():
        return
    t0 = time.perf_counter()
    months = DailyFact.objects.dates("day", "month")
    for month in months:
        with transaction.atomic():
            refresh_month(month)
    print(f"monthly facts of {len(months)} months: {time.perf_counter() - t0:.1f} s")


def rebuild_world_refs() -> dict:
    """The objects ``pages`` needs, read back (so ``--reuse`` works without the set-up)."""
    from sanyi.catalog.models import ItemVersion
    from sanyi.orgs.models import OrgKind, OrgUnit

    return {
        "comms": list(OrgUnit.objects.filter(kind=OrgKind.COMMUNITY).order_by("pk")),
        "versions": list(ItemVersion.objects.order_by("pk")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="cases to generate")
    parser.add_argument("--calls", type=int, default=100, help="timed calls per page")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--reuse", metavar="DBNAME", help="time a kept database again")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_dashboards.py needs DATABASE_URL=postgres://… (it uses COPY)")
    import psycopg

    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    name = args.reuse or f"sanyi_bench_dash_{os.getpid()}"
    if not args.reuse:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name}")
    with tempfile.TemporaryDirectory(prefix="sanyi-bench-dash-") as tmp:
        try:
            bench_cases.setup_django(urlunsplit(parts._replace(path=f"/{name}")), tmp)
            run(args)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep and not args.reuse:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
