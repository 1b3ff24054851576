"""Benchmark: staff worklists and the overdue view over 1,000,000 generated cases.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_cases.py \
        [--count 1000000] [--calls 200] [--depth 500] [--seed 7] [--keep]

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
promised date: a worst case for the overdue view; those due within four days carry the
yellow light.

Timed, ``--calls`` times each, through the same selectors the pages and the API use, each
call as a request would make it (a fresh user object, so the role lookup is included, one
keyset page of 50 rows and the total counted up to 1000): the worklist ("mine", "unit" and
"subtree") and the overdue view, for a window clerk, a department approver and the
district supervisor, on the first page and on page ``--depth`` (500 by default, or the
deepest the list has), reached by its cursor as 下一页 would, and that page read as the
pager did before (OFFSET and an exact count, "offset"). Then the pages themselves through
Django's test client (session, template and all), first and deep, and EXPLAIN ANALYZE of
the deep page of every list and filter an index serves. Prints p50/p95/max in
milliseconds and the queries per call.

A reduced run for a shared machine: ``--count 100000 --calls 50``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import benchdb

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
    os.environ.setdefault("SANYI_REQUIRE_ADMIN_OTP", "0")
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
    """COPY ``rows`` into ``table``; every other NOT NULL column of the model gets its
    Django default (the database has none; "" for a blank text column), so the benchmark
    survives new fields."""
    import json

    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns
        and not f.null
        and not f.primary_key
        and (f.has_default() or (f.blank and f.empty_strings_allowed))
    ]

    drawn: dict[str, set] = {f.column: set() for f in fields if f.unique}

    def defaults():  # a callable default (a random short number) is called for each row
        for f in fields:
            value = f.get_default()
            if f.column in drawn:  # a unique random default: draw again on a repeat, as
                while value in drawn[f.column]:  # numbering.allocate_short_number does
                    value = f.get_default()
                drawn[f.column].add(value)
            yield json.dumps(value) if isinstance(value, dict | list) else value

    names = [*columns, *(f.column for f in fields)]
    with cursor.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row((*row, *defaults()))


def copy_applicants(now) -> tuple[int, int]:
    """COPY ``APPLICANTS`` persons (valid ID numbers, births from 1950); their id range."""
    from django.db import connection

    from sanyi.core.ids import make_resident_id

    def birth(n: int) -> dt.date:
        return dt.date(1950, 1, 1) + dt.timedelta(days=n // 1000)

    with connection.cursor() as cursor:
        _copy(
            cursor.cursor,
            "applicants_applicant",
            ["kind", "id_number", "name", "organisation_category", "legal_representative",
             "phone", "email", "address", "postal_code", "created_at", "updated_at"],
            (
                ("person", make_resident_id(f"350102{birth(n):%Y%m%d}{n % 1000:03d}"),
                 f"基准申请人{n}", "", "", f"139{n:08d}", "", "", "", now, now)
                for n in range(APPLICANTS)
            ),
        )  # fmt: skip
        cursor.execute("SELECT min(id), max(id) FROM applicants_applicant")
        return cursor.fetchone()


# The status mix of ``generate``: a district's case load over three years.
STATUS_MIX = (
    ("delivered", 72), ("in_progress", 20), ("suspended", 3), ("awaiting_acceptance", 2),
    ("precheck", 1), ("withdrawn", 1), ("not_accepted", 1),
)  # fmt: skip


def generate(
    w: dict,
    count: int,
    seed: int,
    *,
    mix: tuple[tuple[str, int], ...] = STATUS_MIX,
    running_days: int = 40,
    lights: bool = True,
) -> dict:
    """COPY the applicants, ``count`` cases in the statuses of ``mix`` (running ones
    accepted over the last ``running_days`` days; with ``lights``, those past their
    promised date already red and those due within four days yellow, as the daily
    warnings job leaves them) and one open step
    for each running case."""
    from django.db import connection
    from django.utils import timezone

    from sanyi.calendar.selectors import current_calendar

    # One calendar object: during a COPY the connection can run no other query.
    cal = current_calendar()

    def add_workdays(day, n):
        return cal.add_workdays(day, n, roll_nonworking_start=True)

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()

    t0 = time.perf_counter()
    a_lo, a_hi = copy_applicants(now)
    applicants_s = time.perf_counter() - t0

    # Promised dates of 10 working days from every day of the last three years, once.
    start = today - dt.timedelta(days=3 * 365)
    days = [start + dt.timedelta(days=i) for i in range((today - start).days + 1)]
    promised = {d: add_workdays(d, 10).date for d in days}
    statutory = {d: add_workdays(d, 20).date for d in days}
    recent = [d for d in days if d >= today - dt.timedelta(days=running_days)]
    soon = today + dt.timedelta(days=4)

    items = [(v.implementation_item_id, v.pk, v.implementation_item.implementation_code, dept)
             for v, dept in zip(w["versions"], w["depts"], strict=True)]  # fmt: skip
    center_unit = w["center"].org_unit_id
    population = [s for s, weight in mix for _ in range(weight)]
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
            warning = "none"
            if lights and running:  # red past the date, yellow in the last days (as nightly)
                warning = "red" if p_due < today else ("yellow" if p_due < soon else "none")
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
        "p95": times[math.ceil(len(times) * 0.95) - 1],  # nearest rank
        "max": times[-1],
        "queries": max(queries),
    }


def deepest(pager, pages: int):
    """The cursor that opens page ``pages`` of a keyset list (or its last page when it is
    shorter), walked from the first page as a reader clicking 下一页 would (not timed), and
    that page's number; no cursor when the list has one page."""
    page, cursor = pager.page(), None
    while page.number < pages and page.has_next:
        cursor = page.next_cursor
        page = pager.page(after=cursor)
    return cursor, page.number


def selector_figures(args, w) -> None:
    """The selectors as the pages call them: a fresh user (its role lookup included), one
    keyset page of 50 rows and the capped total."""
    from sanyi.cases import selectors
    from sanyi.core.pagination import KeysetPager
    from sanyi.orgs.models import User

    people = {
        "window clerk (district center)": w["clerk"].pk,
        "approver (department 1)": w["approvers"][0].pk,
        "supervisor (district)": w["supervisor"].pk,
    }
    lists = {
        "worklist mine": lambda user: selectors.worklist(user, scope="mine"),
        "worklist unit": lambda user: selectors.worklist(user, scope="unit"),
        "worklist subtree": lambda user: selectors.worklist(user, scope="subtree"),
        "overdue": lambda user: selectors.overdue_cases(user),
    }

    def page(pk, make, after=None):
        qs = make(User.objects.get(pk=pk))
        shown = KeysetPager(qs, per_page=50, name="bench").page(after=after or "")
        for r in shown:  # what the list shows
            case = getattr(r, "case", r)
            _ = (case.number, case.applicant.display_name, case.implementation_item.base_item)
            _ = (r.unit.name, r.assignee) if r is not case else case.current_unit.name
        return shown.total

    def offset_page(pk, make, number):
        qs = make(User.objects.get(pk=pk))
        rows = list(qs[(number - 1) * 50 : number * 50])
        return len(rows), qs.count()

    print(f"\n{args.calls} calls each; one page of 50 rows plus the total counted to 1000; ms")
    print(f"{'who':34} {'view':26} {'total':>10} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>8}")
    for label, pk in people.items():
        for name, make in lists.items():
            cursor, number = deepest(
                KeysetPager(make(User.objects.get(pk=pk)), per_page=50, name="bench"), args.depth
            )
            for view, after in ((name, None), (f"{name} p{number}", cursor)):
                if view != name and not after:
                    continue
                total = page(pk, make, after)
                r = timed(lambda pk=pk, make=make, after=after: page(pk, make, after), args.calls)
                # The user lookup stands in for the session's; it is not the selector's query.
                print(
                    f"{label:34} {view:26} {total!s:>10} {r['p50']:>8.1f} {r['p95']:>8.1f} "
                    f"{r['max']:>8.1f} {r['queries'] - 1:>8}"
                )
            if cursor:  # the same page as the pager did before: OFFSET and an exact count
                r = timed(lambda pk=pk, make=make, n=number: offset_page(pk, make, n), args.calls)
                print(
                    f"{label:34} {f'{name} p{number} offset':26} {'':>10} {r['p50']:>8.1f} "
                    f"{r['p95']:>8.1f} {r['max']:>8.1f} {r['queries'] - 1:>8}"
                )


def page_figures(args, w) -> None:
    """The pages themselves through Django's test client (session, template and all): the
    first page and a deep one (page ``--depth`` or the deepest there is, by its cursor)."""
    from django.test import Client

    from sanyi.cases import selectors
    from sanyi.cases.web import staff
    from sanyi.core.pagination import KeysetPager

    per_page = staff.PER_PAGE
    print(f"\npages ({per_page} rows each), {args.calls} requests each; ms")
    print(f"{'who':34} {'page':34} {'p50':>8} {'p95':>8} {'max':>8}")
    for label, user, path, qs, name in (
        ("approver (department 1)", w["approvers"][0], "/workbench/cases/work/unit/",
         selectors.worklist(w["approvers"][0], scope="unit"), "cases.worklist.unit"),
        ("supervisor (district)", w["supervisor"], "/workbench/cases/work/area/",
         selectors.worklist(w["supervisor"], scope="subtree"), "cases.worklist.subtree"),
        ("supervisor (district)", w["supervisor"], "/workbench/cases/work/overdue/",
         selectors.overdue_cases(w["supervisor"]), "cases.overdue.red"),
    ):  # fmt: skip
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        cursor, number = deepest(KeysetPager(qs, per_page=per_page, name=name), args.depth)
        for view, params in ((path, {}), (f"{path} p{number}", {"after": cursor})):
            if params and not cursor:
                continue
            assert client.get(path, params).status_code == 200
            r = timed(lambda c=client, p=path, q=params: c.get(p, q), args.calls)
            print(f"{label:34} {view:34} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['max']:>8.1f}")


def plan(queryset) -> list[str]:
    """The lines of EXPLAIN ANALYZE that say which index a query reads and from where."""
    wanted = re.compile(r"Scan using|Index Cond|Sort Key|Rows Removed|Execution Time")
    text = queryset.explain(analyze=True)
    return [line.strip() for line in text.splitlines() if wanted.search(line)]


def plan_of_call(fn) -> list[str]:
    """``plan`` for the last query ``fn`` makes (a count, the overdue summary)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    wanted = re.compile(r"Scan using|Index Cond|Heap Fetches|JIT|Execution Time")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN ANALYZE " + ctx.captured_queries[-1]["sql"])
        return [row[0].strip() for row in cursor.fetchall() if wanted.search(row[0])]


def explain_counts(w) -> None:
    from sanyi.cases import selectors
    from sanyi.core.pagination import capped_count

    boss = w["supervisor"]
    for label, fn in (
        (
            "count, worklist subtree",
            lambda: capped_count(selectors.worklist(boss, scope="subtree")),
        ),
        ("count, overdue red", lambda: capped_count(selectors.overdue_cases(boss))),
        ("overdue summary per unit", lambda: selectors.overdue_units(boss)),
    ):
        print(f"\nEXPLAIN ANALYZE {label}:")
        print("\n".join(f"  {line}" for line in plan_of_call(fn)))


def explain_figures(w, depth: int) -> None:
    """EXPLAIN ANALYZE of page ``depth`` (or the deepest) of every list and filter the
    pages offer that an index serves: it seeks in the index (a row comparison in the
    Index Cond) instead of reading the pages before it."""
    import datetime as dt

    from django.utils import timezone

    from sanyi.cases import selectors
    from sanyi.core.pagination import KeysetPager

    approver, supervisor = w["approvers"][0], w["supervisor"]
    soon = timezone.localdate() + dt.timedelta(days=3)
    lists = {
        "worklist mine (approver)": selectors.worklist(approver, scope="mine"),
        "worklist unit (approver)": selectors.worklist(approver, scope="unit"),
        "worklist subtree (supervisor)": selectors.worklist(supervisor, scope="subtree"),
        "worklist subtree, due within 3 days": selectors.worklist(
            supervisor, scope="subtree", filters={"due_before": soon}
        ),
        "overdue red (supervisor)": selectors.overdue_cases(supervisor),
        "overdue red, one unit": selectors.overdue_cases(supervisor, unit=w["depts"][0]),
        "overdue yellow (supervisor)": selectors.warning_cases(supervisor),
    }
    for label, qs in lists.items():
        cursor, number = deepest(KeysetPager(qs, per_page=50, name="bench"), depth)
        if cursor is None:
            print(f"\n{label}: one page only")
            continue
        rows = KeysetPager(qs, per_page=50, name="bench").rows_after(cursor)[:51]
        print(f"\nEXPLAIN ANALYZE {label}, page {number}:")
        print("\n".join(f"  {line}" for line in plan(rows)))


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

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
        cursor.execute("VACUUM ANALYZE cases_case")
        cursor.execute("VACUUM ANALYZE cases_casetask")
        cursor.execute("SELECT status, count(*) FROM cases_case GROUP BY status ORDER BY 2 DESC")
        print("cases by status: " + ", ".join(f"{s} {n:,}" for s, n in cursor.fetchall()))
    selector_figures(args, w)
    page_figures(args, w)
    explain_figures(w, args.depth)
    explain_counts(w)


def bench_database(prefix: str, *, keep: bool = False, reuse: str = ""):
    """A fresh PostgreSQL database ``<prefix>_<pid>`` with Django set up on it, dropped at
    the end unless ``keep``, or the kept database ``reuse`` (``benchdb.bench_database``)."""
    return benchdb.bench_database(prefix, setup_django, postgres_only=True, keep=keep, reuse=reuse)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="cases to generate")
    parser.add_argument("--calls", type=int, default=200, help="timed calls per view")
    parser.add_argument(
        "--depth", type=int, default=500, help="the deep page timed (or the deepest there is)"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()
    with bench_database("sanyi_bench_cases", keep=args.keep):
        run(args)


if __name__ == "__main__":
    main()
