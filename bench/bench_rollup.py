"""Benchmark: the daily rollup of a day with many new cases.

    .venv/bin/python bench/bench_rollup.py [--count 10000] [--seed 7]
    DATABASE_URL=postgres://user@host:5432/throwaway .venv/bin/python bench/bench_rollup.py

Without DATABASE_URL the script migrates a fresh SQLite database in a temporary folder.
With DATABASE_URL it uses that database as it is (migrated, and meant to be thrown away:
it adds a small district and ``--count`` cases to it).

Set-up: a district with 3 subdistricts × 4 communities and 4 departments, one published
item per department, one applicant; then ``--count`` cases received on one day, written
in bulk: a third online, a third at a window, a third by post, spread over the units and
items; half accepted that day, a third concluded that day (accepted up to 10 days
before, with promised and statutory dates around the day, 0-2 visits). Timed: one
``rollup_day`` of that day (the queries, the calendar, the delete and the insert of the
day's rows and the audit row), three times; prints each run's seconds and the rows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ACTOR = "系统：基准测试"
DAY = dt.date(2026, 3, 10)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    if "DATABASE_URL" not in os.environ:
        os.environ["SANYI_DATA_DIR"] = tempfile.mkdtemp(prefix="sanyi-bench-rollup-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SANYI_TASKS_BACKEND", "immediate")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_world() -> dict:
    from sanyi.applicants.tests import factories as applicant_f
    from sanyi.catalog.tests import factories as catalog_f
    from sanyi.orgs.models import OrgKind, Role
    from sanyi.orgs.tests import factories as org_f

    d = org_f.district(uscc=org_f.unique_uscc())
    units = []
    for _ in range(3):
        sub = org_f.unit(d, OrgKind.SUBDISTRICT, uscc=org_f.unique_uscc())
        units += [org_f.unit(sub, OrgKind.COMMUNITY) for _ in range(4)]
    reviewer = org_f.staff(d, Role.CATALOG_ADMIN)
    versions = []
    for _ in range(4):
        dept = org_f.unit(d, OrgKind.DEPARTMENT, uscc=org_f.unique_uscc())
        units.append(dept)
        versions.append(catalog_f.item(unit=dept, status="published", reviewer=reviewer))
    return {"units": units, "versions": versions, "applicant": applicant_f.person()}


def generate(w: dict, count: int, seed: int) -> None:
    from django.utils import timezone

    from sanyi.cases.choices import CaseChannel, CaseStatus
    from sanyi.cases.models import Case, new_short_number

    rng = random.Random(seed)
    channels = [CaseChannel.ONLINE, CaseChannel.WINDOW, CaseChannel.POST]
    moment = timezone.make_aware(dt.datetime.combine(DAY, dt.time(10)))
    prefix = f"BENCH-{os.getpid()}-"

    def around(days: int) -> dt.date:
        return DAY + dt.timedelta(days=rng.randint(-days, days))

    cases = []
    for n in range(count):
        version = w["versions"][n % len(w["versions"])]
        unit = w["units"][rng.randrange(len(w["units"]))]
        concluded = n % 3 == 0
        cases.append(
            Case(
                number=f"{prefix}{n:07d}",
                short_number=new_short_number(),
                applicant=w["applicant"],
                implementation_item_id=version.implementation_item_id,
                item_version=version,
                channel=channels[n % 3],
                status=CaseStatus.CONCLUDED if concluded else CaseStatus.IN_PROGRESS,
                unit=unit,
                current_unit=unit,
                submitted_at=moment,
                accepted_on=DAY - dt.timedelta(days=rng.randint(0, 10)) if concluded else DAY,
                concluded_on=DAY if concluded else None,
                promised_due_on=around(3),
                statutory_due_on=around(5),
                visits=rng.randint(0, 2) if concluded else 0,
            )
        )
    Case.objects.bulk_create(cases, batch_size=500)
    Case.objects.filter(number__startswith=prefix).update(created_at=moment)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from sanyi.analytics.services import rollup_day

    w = build_world()
    t0 = time.perf_counter()
    generate(w, args.count, args.seed)
    print(f"{connection.vendor}: {args.count} cases on {DAY} in {time.perf_counter() - t0:.1f} s")
    for run in range(1, 4):
        t0 = time.perf_counter()
        rows = rollup_day(day=DAY, actor=ACTOR)
        print(f"rollup_day run {run}: {time.perf_counter() - t0:.3f} s, {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
