"""Benchmark: intake throughput, online submissions and window acceptances on PostgreSQL.

    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_intake.py \\
        [--workers 4] [--per-worker 300] [--online 0.5] [--seed 7] [--keep] [--profile]
        [--reuse DBNAME]

PostgreSQL only. Creates its own database (see bench_cases.bench_database) and drops it.

Set-up: the org tree, staff and items of bench_cases.py (every account with an e-mail
address, a window clerk at each of the district center's windows), 20,000 applicants by
COPY, and for each department a second item applied for online whose materials come from
shared data or may follow later (容缺), so a submission carries no upload.

``--workers`` processes, each with its own database connection, start together and each
runs ``--per-worker`` intakes through the same service calls as the pages:

* online (share ``--online``): ``case_start`` and ``case_submit`` for a signed-in
  applicant (the submission notifies the clerks and approvers who pre-check it);
* at the window: ``case_start_at_counter`` (a new applicant registered two times in three,
  else one the worker registered before, found by ID number)
  and ``case_accept`` with the materials ticked (the clocks start, the first step is
  routed, the applicant gets an SMS).

Prints accepted cases per second (online submitted plus window accepted, over the wall time
from the common start to the last worker's end) and per-call latencies, then checks:
no worker error, every case a worker got back is in the database once, as many cases as
intakes, case and short numbers unique, and every case has the inbox, outbox, ledger and
audit rows of its kind (the same as a single intake of that kind made before the run), and
the audit chain verifies. ``--profile`` runs one worker's intakes under cProfile instead.
"""

from __future__ import annotations

import argparse
import datetime as dt
import multiprocessing as mp
import os
import random
import statistics
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import bench_cases  # noqa: E402  (the world, the COPY helpers and the timer)


def prepare(w: dict) -> dict:
    """Clerks at every window, e-mail addresses, the online items; returns what workers
    need by id."""
    from django.utils import timezone

    from sanyi.cases.tests.factories import _material, licence_guide
    from sanyi.catalog.tests import factories as catalog_f
    from sanyi.orgs.models import Role, User
    from sanyi.orgs.tests import factories as org_f

    windows = list(w["center"].windows.order_by("number"))
    clerks = [w["clerk"]] + [
        org_f.staff(w["district"], Role.WINDOW_CLERK, username=f"bench_clerk{n}", window=win)
        for n, win in enumerate(windows[1:], start=2)
    ]
    reviewer = User.objects.get(username="bench_reviewer")
    guide = licence_guide(
        materials=[
            _material("申请书", necessity="deferrable"),
            _material("营业执照", source="shared_data"),
        ]
    )
    online = [
        catalog_f.item(unit=d, status="published", reviewer=reviewer, guide=guide,
                       name=f"基准网办事项{i + 1}").implementation_item_id
        for i, d in enumerate(w["depts"])
    ]  # fmt: skip
    for user in User.objects.all():
        user.email = f"{user.username}@bench.example.org"
        user.save(update_fields=["email"])
    a_lo, a_hi = bench_cases.copy_applicants(timezone.now())
    return {
        "windows": [win.pk for win in windows],
        "clerks": [c.pk for c in clerks],
        "window_items": [v.implementation_item_id for v in w["versions"]],
        "online_items": online,
        "applicants": (a_lo, a_hi),
    }


_walk_ins: dict[int, list[dict]] = {}


def walk_in(slot: int, rng: random.Random) -> dict:
    """Who comes to the window: someone new (registered at the counter) two times in
    three, else someone this worker registered before."""
    from sanyi.core.ids import make_resident_id

    seen = _walk_ins.setdefault(slot, [])
    if seen and rng.random() < 1 / 3:
        return rng.choice(seen)
    n = slot * 100_000 + len(seen)
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n // 1000)
    person = {
        "id_number": make_resident_id(f"110105{birth:%Y%m%d}{n % 1000:03d}"),
        "name": f"窗口申请人{n}",
        "phone": f"137{n:08d}",
    }
    seen.append(person)
    return person


def plan_of_database() -> dict:
    """What ``prepare`` returned, read back from a kept database (``--reuse``)."""
    from sanyi.applicants.models import Applicant
    from sanyi.catalog.models import ItemVersion
    from sanyi.orgs.models import User, Window

    def items(prefix: str) -> list[int]:
        return sorted(
            ItemVersion.objects.filter(implementation_item__base_item__name__startswith=prefix)
            .values_list("implementation_item_id", flat=True)
            .distinct()
        )

    windows = Window.objects.filter(center__name="基准区政务服务中心").order_by("number")
    clerks = User.objects.filter(username__startswith="bench_clerk").order_by("pk")
    ids = Applicant.objects.filter(name__startswith="基准申请人").values_list("pk", flat=True)
    return {
        "windows": [w.pk for w in windows],
        "clerks": [c.pk for c in clerks],
        "window_items": items("基准许可事项"),
        "online_items": items("基准网办事项"),
        "applicants": (min(ids), max(ids)),
    }


def intake(kind: str, plan: dict, rng: random.Random, slot: int):
    """One intake through the services; the case."""
    from sanyi.applicants.models import Applicant
    from sanyi.cases import services
    from sanyi.cases.choices import AcceptanceDecision, CaseChannel, MaterialStatus
    from sanyi.catalog.models import ImplementationItem
    from sanyi.orgs.models import User, Window

    pk = rng.randint(*plan["applicants"])
    if kind == "online":
        applicant = Applicant.objects.get(pk=pk)  # the signed-in applicant
        item = ImplementationItem.objects.get(pk=rng.choice(plan["online_items"]))
        case = services.case_start(
            applicant=applicant, item=item, channel=CaseChannel.ONLINE,
            actor=applicant.audit_label,
        )  # fmt: skip
        return services.case_submit(
            case=case, actor=applicant.audit_label, idempotency_key=uuid.uuid4().hex
        )
    clerk = User.objects.get(pk=plan["clerks"][slot % len(plan["clerks"])])  # the session's
    window = Window.objects.select_related("center").get(
        pk=plan["windows"][slot % len(plan["windows"])]
    )
    item = ImplementationItem.objects.select_related("base_item").get(
        pk=rng.choice(plan["window_items"])
    )
    case = services.case_start_at_counter(
        actor=clerk, item=item, variant=None, **walk_in(slot, rng)
    )
    ticked = [m for m in case.materials.all() if m.status != MaterialStatus.SHARED]
    return services.case_accept(
        case=case, window=window, decision=AcceptanceDecision.ACCEPT, actor=clerk,
        materials=ticked,
    )  # fmt: skip


def worker(url: str, data_dir: str, slot: int, args, plan: dict, start, out) -> None:
    """One process: its own connection, ``args.per_worker`` intakes after the common start."""
    bench_cases.setup_django(url, data_dir)
    from django.db import connection

    rng = random.Random(args.seed * 1000 + slot)
    kinds = ["online" if rng.random() < args.online else "window" for _ in range(args.per_worker)]
    connection.ensure_connection()
    # What a server worker has loaded after its first request: the URL patterns (links in
    # messages are reversed) and the working-day calendar.
    from django.urls import get_resolver

    from sanyi.calendar.selectors import current_calendar

    _ = get_resolver().url_patterns
    current_calendar()
    done, errors = [], []
    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting on the database
    start.wait()
    began, cpu = time.perf_counter(), time.process_time()
    for kind in kinds:
        t0 = time.perf_counter()
        try:
            case = (
                profiler.runcall(intake, kind, plan, rng, slot)
                if profiler
                else intake(kind, plan, rng, slot)
            )
        except Exception as exc:  # counted and reported: the run must have none
            errors.append(f"{kind}: {type(exc).__name__}: {exc}"[:300])
            continue
        done.append((kind, case.pk, case.number, time.perf_counter() - t0))
    ended, cpu = time.perf_counter(), time.process_time() - cpu
    if profiler:
        import pstats

        pstats.Stats(profiler).sort_stats(args.profile_sort).print_stats(45)
    out.put(
        {"slot": slot, "done": done, "errors": errors, "began": began, "ended": ended, "cpu": cpu}
    )


def expected_rows(case_pks: list[int]) -> dict[int, tuple[int, int, int, int]]:
    """(inbox, outbox, ledger, audit) rows about each case."""
    from django.db.models import Count

    from sanyi.audit.models import AuditEvent
    from sanyi.cases.models import CaseEvent
    from sanyi.notify.models import Message, OutboxMessage

    ids = [str(pk) for pk in case_pks]
    inbox = Counter(
        dict(
            Message.objects.filter(object_type="cases.case", object_id__in=ids)
            .values("object_id")
            .annotate(n=Count("id"))
            .values_list("object_id", "n")
        )
    )
    outbox = Counter(
        dict(
            OutboxMessage.objects.filter(
                message__object_type="cases.case", message__object_id__in=ids
            )
            .values("message__object_id")
            .annotate(n=Count("id"))
            .values_list("message__object_id", "n")
        )
    )
    ledger = Counter(
        dict(
            CaseEvent.objects.filter(case_id__in=case_pks)
            .values("case_id")
            .annotate(n=Count("id"))
            .values_list("case_id", "n")
        )
    )
    audit = Counter(
        dict(
            AuditEvent.objects.filter(object_type="cases.case", object_id__in=ids)
            .values("object_id")
            .annotate(n=Count("seq"))
            .values_list("object_id", "n")
        )
    )
    return {pk: (inbox[str(pk)], outbox[str(pk)], ledger[pk], audit[str(pk)]) for pk in case_pks}


def check(
    results: list[dict], expected: dict[str, tuple], before: int, *, verify_chain: bool = True
) -> list[str]:
    """Lost, duplicated or incomplete intakes, as sentences (none when all is well)."""
    from django.db.models import Count

    from sanyi.audit.selectors import audit_chain_verify
    from sanyi.cases.models import Case

    problems = [e for r in results for e in r["errors"]]
    done = [d for r in results for d in r["done"]]
    pks = [pk for _, pk, _, _ in done]
    if len(set(pks)) != len(pks):
        problems.append(f"{len(pks) - len(set(pks))} cases returned to two intakes")
    found = set(Case.objects.filter(pk__in=pks).values_list("pk", flat=True))
    if len(found) != len(set(pks)):
        problems.append(f"{len(set(pks)) - len(found)} cases returned but not in the database")
    total = Case.objects.count() - before
    if total != len(done):
        problems.append(f"{total:,} new cases in the database for {len(done):,} intakes")
    for field in ("number", "short_number"):
        dup = Case.objects.values(field).annotate(n=Count("id")).filter(n__gt=1).count()
        if dup:
            problems.append(f"{dup} duplicated {field}s")
    rows = expected_rows(pks)
    for kind, pk, number, _ in done:
        if rows[pk] != expected[kind]:
            problems.append(
                f"{number} ({kind}): inbox, outbox, ledger, audit {rows[pk]}, "
                f"expected {expected[kind]}"
            )
    if verify_chain:
        report = audit_chain_verify()
        if not report.ok:
            problems.append(f"audit chain: {report.reason_en}")
    return problems


def run(args, url: str, data_dir: str) -> None:
    from django.core.management import call_command
    from django.db import connections

    from sanyi.cases.models import Case

    t0 = time.perf_counter()
    if args.reuse:
        plan = plan_of_database()
    else:
        call_command("migrate", verbosity=0)
        plan = prepare(bench_cases.build_world())
    print(f"migrate, org tree, staff, items, applicants: {time.perf_counter() - t0:.1f} s")
    # One intake of each kind first: the rows every case of that kind must have.
    rng = random.Random(args.seed)
    first = {kind: intake(kind, plan, rng, 0).pk for kind in ("online", "window")}
    rows = expected_rows(list(first.values()))
    expected = {kind: rows[pk] for kind, pk in first.items()}
    print("rows per case (inbox, outbox, ledger, audit): " + ", ".join(
        f"{kind} {expected[kind]}" for kind in expected))  # fmt: skip
    before = Case.objects.count()
    connections.close_all()

    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [
        ctx.Process(target=worker, args=(url, data_dir, slot, args, plan, start, out))
        for slot in range(args.workers)
    ]
    for p in procs:
        p.start()
    time.sleep(args.warmup)  # every worker set up and connected before the start
    start.set()
    results = [out.get() for _ in procs]
    for p in procs:
        p.join()
    report(results)
    # A kept database's audit key went with its first run's data folder: the chain
    # cannot be verified on a reused one.
    problems = check(results, expected, before, verify_chain=not args.reuse)
    print(
        "checks: "
        + ("0 lost, 0 duplicated, every case complete" if not problems else "")
        + ("" if args.reuse or problems else ", audit chain verified")
    )
    for line in problems[:20]:
        print(f"  PROBLEM {line}")
    if problems:
        sys.exit(1)


def report(results: list[dict]) -> None:
    done = [d for r in results for d in r["done"]]
    wall = max(r["ended"] for r in results) - min(r["began"] for r in results)
    kinds = Counter(kind for kind, *_ in done)
    print(
        f"\n{len(results)} workers, {len(done):,} intakes in {wall:.1f} s: "
        f"{len(done) / wall:.0f} accepted cases per second "
        f"({kinds['online']:,} online submitted, {kinds['window']:,} accepted at the window)"
    )
    cpu = sum(r["cpu"] for r in results)
    print(f"  Python CPU in the workers: {cpu * 1000 / max(len(done), 1):.1f} ms per intake")
    for kind in ("online", "window"):
        times = sorted(t * 1000 for k, *_, t in done if k == kind)
        if times:
            print(
                f"  {kind:7} p50 {statistics.median(times):6.1f} ms  "
                f"p95 {times[int(len(times) * 0.95) - 1]:6.1f} ms  max {times[-1]:6.1f} ms"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workers", type=int, default=4, help="concurrent processes")
    parser.add_argument("--per-worker", type=int, default=300, help="intakes per process")
    parser.add_argument("--online", type=float, default=0.5, help="share of online intakes")
    parser.add_argument("--warmup", type=float, default=8.0, help="seconds to let workers start")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--profile", action="store_true", help="cProfile each worker")
    parser.add_argument("--profile-sort", default="cumulative", help="pstats sort key")
    parser.add_argument("--reuse", metavar="DBNAME", help="run again on a kept database")
    args = parser.parse_args()
    # As in production: deliveries are queued for the worker, not sent inside the request.
    os.environ["SANYI_TASKS_BACKEND"] = "database"
    with bench_cases.bench_database("sanyi_bench_intake", keep=args.keep, reuse=args.reuse):
        # bench_database pointed DATABASE_URL and SANYI_DATA_DIR at the new database.
        run(args, os.environ["DATABASE_URL"], os.environ["SANYI_DATA_DIR"])


if __name__ == "__main__":
    main()
