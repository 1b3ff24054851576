"""Benchmark: staff worklists and the overdue view over 1,000,000 generated cases.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_cases.py \
        [--count 1000000] [--calls 200] [--seed 7] [--keep]

PostgreSQL only (the target database of a district's case load). The script creates its
own database sanyi_bench_cases_<pid> on the server of DATABASE_URL (the user needs
CREATEDB), migrates it, and drops it at the end unless ``--keep`` is given.

Set-up through the services: a district with 6 subdistricts × 5 communities and 8
departments, a center and clerk at the district, approvers at every department and a
supervisor at the district, and one published licence item per department. Then, with
PostgreSQL COPY: 20,000 applicants and ``--count`` cases accepted over the last three
years: about 72 % delivered, 20 % in progress, 3 % with the clock stopped, the rest before
acceptance, withdrawn or not accepted. Every running case has one open step at its
department (a third of them claimed by an approver). Running cases are accepted over the
last 40 days with a 10-working-day promise, so most of them (about 60 %) are past their
promised date: a worst case for the overdue view.

Timed, ``--calls`` times each, through the same selectors the pages and the API use, each
call as a request would make it (a fresh user object, so the role lookup is included, the
first page of 50 rows and the total count for the pager): the worklist ("mine", "unit" and
"subtree") and the overdue view, for a window clerk, a department approver and the
district supervisor. Prints p50/p95/max in milliseconds and the queries per call, then
EXPLAIN ANALYZE of the worklist query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
ACTOR = "系统：基准测试"
APPLICANTS = 20_000


def setup_django(database_url: str, data_dir: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANYI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SANYI_TASKS_BACKEND", "immediate")
    import django

    django.setup()


def build_world() -> dict:
    from sanyi.cases.tests.factories import licence_guide
    from sanyi.catalog.tests import factories as catalog_f
    from sanyi.core.ids import make_uscc
    from sanyi.orgs import services
    from sanyi.orgs.models import OrgKind, Role
    from sanyi.orgs.tests import factories as org_f

    counter = iter(range(1, 10_000))

    def uscc() -> str:
        return make_uscc(f"11350100{next(counter):09d}")

    district = services.org_unit_create(
        actor=ACTOR, kind=OrgKind.DISTRICT, name="基准区", division_code="350199000000",
        uscc=uscc(),
    )  # fmt: skip
    subs, comms, depts = [], [], []
    for i in range(6):
        sub = org_f.unit(district, OrgKind.SUBDISTRICT, name=f"基准街道{i + 1}", uscc=uscc())
        subs.append(sub)
        comms += [
            org_f.unit(sub, OrgKind.COMMUNITY, name=f"基准社区{i + 1}-{j + 1}") for j in range(5)
        ]
    for i in range(8):
        depts.append(org_f.unit(district, OrgKind.DEPARTMENT, name=f"基准局{i + 1}", uscc=uscc()))
    center = org_f.center(district, windows=4, name="基准区政务服务中心")
    window = center.windows.order_by("number").first()
    clerk = org_f.staff(district, Role.WINDOW_CLERK, username="bench_clerk", window=window)
    sub_center = org_f.center(subs[0], windows=1, name="基准街道1便民服务中心")
    sub_clerk = org_f.staff(subs[0], Role.WINDOW_CLERK, username="bench_sub_clerk",
                            window=sub_center.windows.first())  # fmt: skip
    approvers = [
        org_f.staff(d, Role.APPROVER, username=f"bench_approver{i + 1}")
        for i, d in enumerate(depts)
    ]
    supervisor = org_f.staff(district, Role.SUPERVISOR, username="bench_supervisor")
    reviewer = org_f.staff(district, Role.CATALOG_ADMIN, username="bench_reviewer")
    versions = [
        catalog_f.item(unit=d, status="published", reviewer=reviewer, guide=licence_guide(),
                       name=f"基准许可事项{i + 1}")
        for i, d in enumerate(depts)
    ]  # fmt: skip
    return {
        "district": district,
        "subs": subs,
        "comms": comms,
        "depts": depts,
        "center": center,
        "window": window,
        "clerk": clerk,
        "sub_clerk": sub_clerk,
        "approvers": approvers,
        "supervisor": supervisor,
        "versions": versions,
    }


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def generate(w: dict, count: int, seed: int) -> dict:
    from django.db import connection
    from django.utils import timezone

    from sanyi.calendar.selectors import current_calendar
    from sanyi.core.ids import make_resident_id

    # One calendar object: during a COPY the connection can run no other query.
    cal = current_calendar()

    def add_workdays(day, n):
        return cal.add_workdays(day, n, roll_nonworking_start=True)

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()

    def birth(n: int) -> dt.date:
        return dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        _copy(
            raw,
            "applicants_applicant",
            ["kind", "id_number", "name", "organisation_category", "legal_representative",
             "phone", "email", "address", "postal_code", "wallet_consent", "created_at",
             "updated_at"],
            (
                ("person", make_resident_id(f"350102{birth(n):%Y%m%d}{n % 1000:03d}"),
                 f"基准申请人{n}", "", "", f"139{n:08d}", "", "", "", False, now, now)
                for n in range(APPLICANTS)
            ),
        )  # fmt: skip
        cursor.execute("SELECT min(id), max(id) FROM applicants_applicant")
        a_lo, a_hi = cursor.fetchone()
    applicants_s = time.perf_counter() - t0

    # Promised dates of 10 working days from every day of the last three years, once.
    start = today - dt.timedelta(days=3 * 365)
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    promised = {d: add_workdays(d, 10).date for d in days}
    statutory = {d: add_workdays(d, 20).date for d in days}
    recent = [d for d in days if d >= today - dt.timedelta(days=40)]

    items = [(v.implementation_item_id, v.pk, v.implementation_item.implementation_code, dept)
             for v, dept in zip(w["versions"], w["depts"], strict=True)]  # fmt: skip
    center_unit = w["center"].org_unit_id
    statuses = (
        [("delivered", 72), ("in_progress", 20), ("suspended", 3), ("awaiting_acceptance", 2),
         ("precheck", 1), ("withdrawn", 1), ("not_accepted", 1)]
    )  # fmt: skip
    population = [s for s, weight in statuses for _ in range(weight)]
    seq: dict[tuple[str, dt.date], int] = {}
    columns = [
        "number", "query_code_hash", "applicant_id", "implementation_item_id",
        "item_version_id", "form_data", "channel", "status", "idempotency_key", "center_id",
        "window_id", "unit_id", "current_unit_id", "acceptance_decision", "acceptance_reason",
        "acceptance_basis", "accepted_on", "accepted_at", "is_instant", "statutory_days",
        "promised_days", "extension_days", "statutory_due_on", "promised_due_on",
        "due_provisional", "stopped_days", "warning_level", "decision", "decision_reason",
        "decision_basis", "concluded_on", "concluded_at", "delivery_method", "visits",
        "created_at", "updated_at",
    ]  # fmt: skip

    def rows():
        for n in range(count):
            status = rng.choice(population)
            item_id, version_id, code, dept = items[n % len(items)]
            running = status in ("in_progress", "suspended")
            accepted = rng.choice(
                recent if running or status in ("awaiting_acceptance", "precheck") else days
            )
            key = (code, accepted)
            seq[key] = seq.get(key, 0) + 1
            number = f"{code}-{accepted:%Y%m%d}-{seq[key]:04d}"
            is_accepted = status in ("delivered", "in_progress", "suspended")
            p_due = promised[accepted] if is_accepted else None
            s_due = statutory[accepted] if is_accepted else None
            warning = "red" if running and p_due < today else "none"
            at = timezone.make_aware(dt.datetime.combine(accepted, dt.time(10, 0)))
            done = status == "delivered"
            yield (
                number, "", rng.randint(a_lo, a_hi), item_id, version_id, "{}", "window",
                status, "", w["center"].pk, w["window"].pk, center_unit,
                dept.pk if running else center_unit,
                "accept" if is_accepted else ("reject" if status == "not_accepted" else ""),
                "", "", accepted if is_accepted else None, at if is_accepted else None, False,
                20 if is_accepted else None, 10 if is_accepted else None, 0, s_due, p_due,
                False, 0, warning, "approve" if done else "", "", "",
                min(p_due, today) if done else None, at if done else None,
                "window" if done else "", 2 if done else 1, at, at,
            )  # fmt: skip

    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        _copy(cursor.cursor, "cases_case", columns, rows())
    cases_s = time.perf_counter() - t0

    # One open step for every running case, at the department; a third claimed.
    t0 = time.perf_counter()
    approver_by_unit = {a.role_assignments.get().org_unit_id: a.pk for a in w["approvers"]}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, current_unit_id, accepted_on, promised_due_on FROM cases_case"
            " WHERE status IN ('in_progress', 'suspended')"
        )
        running = cursor.fetchall()
        _copy(
            cursor.cursor,
            "cases_casetask",
            ["case_id", "position", "name", "unit_id", "role", "assignee_id", "status",
             "budget_days", "started_at", "started_on", "due_on", "action", "opinion"],
            (
                (pk, 2, "审核", unit, "approver",
                 approver_by_unit[unit] if pk % 3 == 0 else None, "open", 5,
                 timezone.make_aware(dt.datetime.combine(on, dt.time(11, 0))), on,
                 min(add_workdays(on, 5).date, due), "", "")
                for pk, unit, on, due in running
            ),
        )  # fmt: skip
        cursor.execute("ANALYZE")
    tasks_s = time.perf_counter() - t0
    return {
        "applicants_s": applicants_s,
        "cases_s": cases_s,
        "tasks_s": tasks_s,
        "open_tasks": len(running),
    }


def timed(fn, calls: int):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries = [], []
    for _ in range(calls):
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        queries.append(len(ctx.captured_queries))
    times.sort()
    return {
        "p50": statistics.median(times),
        "p95": times[int(len(times) * 0.95) - 1],
        "max": times[-1],
        "queries": max(queries),
    }


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sanyi.cases import selectors
    from sanyi.orgs.models import User

    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrate: {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    w = build_world()
    print(f"org tree, staff and 8 published items (services): {time.perf_counter() - t0:.1f} s")
    stats = generate(w, args.count, args.seed)
    print(
        f"COPY {APPLICANTS:,} applicants: {stats['applicants_s']:.1f} s; "
        f"{args.count:,} cases: {stats['cases_s']:.1f} s; "
        f"{stats['open_tasks']:,} open steps: {stats['tasks_s']:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT status, count(*) FROM cases_case GROUP BY status ORDER BY 2 DESC")
        print("cases by status: " + ", ".join(f"{s} {n:,}" for s, n in cursor.fetchall()))

    people = {
        "window clerk (district center)": w["clerk"].pk,
        "approver (department 1)": w["approvers"][0].pk,
        "supervisor (district)": w["supervisor"].pk,
    }

    def page(qs):
        rows = list(qs[:50])
        total = qs.count()
        shown = []
        for r in rows:  # what the list shows
            case = getattr(r, "case", r)
            item = case.implementation_item.base_item.name
            shown.append((case.number, case.applicant.display_name, item, case.current_unit.name))
        assert len(shown) == len(rows)
        return total

    print(f"\n{args.calls} calls each; first page of 50 rows plus the total count; ms")
    print(f"{'who':34} {'view':18} {'rows':>8} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>8}")
    for label, pk in people.items():
        views = {
            "worklist mine": lambda pk=pk: page(
                selectors.worklist(User.objects.get(pk=pk), scope="mine")
            ),
            "worklist unit": lambda pk=pk: page(
                selectors.worklist(User.objects.get(pk=pk), scope="unit")
            ),
            "worklist subtree": lambda pk=pk: page(
                selectors.worklist(User.objects.get(pk=pk), scope="subtree")
            ),
            "overdue": lambda pk=pk: page(selectors.overdue_cases(User.objects.get(pk=pk))),
        }
        for name, fn in views.items():
            rows = fn()
            r = timed(fn, args.calls)
            # The user lookup stands in for the session's; it is not the selector's query.
            print(
                f"{label:34} {name:18} {rows:>8,} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                f"{r['max']:>8.1f} {r['queries'] - 1:>8}"
            )

    for label, pk, scope in (
        ("approver, unit worklist", w["approvers"][0].pk, "unit"),
        ("supervisor, subtree worklist", w["supervisor"].pk, "subtree"),
    ):
        qs = selectors.worklist(User.objects.get(pk=pk), scope=scope)[:50]
        print(f"\nEXPLAIN ANALYZE worklist ({label}):")
        print(qs.explain(analyze=True))
    qs = selectors.overdue_cases(User.objects.get(pk=w["supervisor"].pk))[:50]
    print("\nEXPLAIN ANALYZE overdue view (supervisor):")
    print(qs.explain(analyze=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="cases to generate")
    parser.add_argument("--calls", type=int, default=200, help="timed calls per view")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    if not base_url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench_cases.py needs DATABASE_URL=postgres://… (it uses COPY)")
    import psycopg

    name = f"sanyi_bench_cases_{os.getpid()}"
    parts = urlsplit(base_url)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    print(f"database {name}")
    with tempfile.TemporaryDirectory(prefix="sanyi-bench-cases-") as tmp:
        try:
            setup_django(urlunsplit(parts._replace(path=f"/{name}")), tmp)
            run(args)
        finally:
            from django.db import connections

            connections.close_all()
            if not args.keep:
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    main()
