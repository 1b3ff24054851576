"""Benchmark: subtree and scope queries on an org tree of 10,000 units.

    .venv/bin/python bench/bench_orgs.py [--units 10000] [--repeat 300]

Builds the tree in a throw-away test database (SQLite in memory by default; PostgreSQL
when DATABASE_URL points to it, in a database named test_<name> that is dropped after).
The tree: one district with 40 departments and 30 subdistricts, each subdistrict with a
station and communities, each community with grids, until --units units exist. Rows are
bulk-inserted with their paths (no audit rows: this is not product data).

Prints, for each query, p50 and p95 wall time over --repeat calls and the database's
query plan, so one can see the path index at work. "ids only" separates the database's
time from the time Python spends building model instances.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    import django

    django.setup()


def build_tree(total: int):
    from sanyi.orgs.models import OrgKind, OrgUnit
    from sanyi.orgs.tree import child_path

    rows: list[OrgUnit] = []

    def add(parent: OrgUnit | None, kind: str, name: str) -> OrgUnit:
        pk = len(rows) + 1
        unit = OrgUnit(
            pk=pk,
            parent_id=parent.pk if parent else None,
            kind=kind,
            name=name,
            path=child_path(parent.path if parent else "", pk),
            depth=parent.depth + 1 if parent else 0,
            code=f"B{pk}",
        )
        rows.append(unit)
        return unit

    district = add(None, OrgKind.DISTRICT, "基准区")
    for i in range(40):
        add(district, OrgKind.DEPARTMENT, f"部门{i}")
    subs = [add(district, OrgKind.SUBDISTRICT, f"街道{i}") for i in range(30)]
    for sub in subs:
        add(sub, OrgKind.STATION, f"{sub.name}司法所")
    per_sub = max(1, (total - len(rows)) // (len(subs) * 11))
    communities = [
        add(sub, OrgKind.COMMUNITY, f"{sub.name}社区{j}") for sub in subs for j in range(per_sub)
    ]
    g = 0
    while len(rows) < total:
        comm = communities[g % len(communities)]
        add(comm, OrgKind.GRID, f"{comm.name}网格{g}")
        g += 1
    OrgUnit.objects.bulk_create(rows, batch_size=1000)
    return district, subs, communities


def timed(fn, repeat: int) -> tuple[float, float, int]:
    fn()  # warm up
    times = []
    result = 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    return statistics.median(times), p95, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=300)
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from sanyi.orgs import permissions, selectors
    from sanyi.orgs.models import OrgUnit, Role, RoleAssignment, User

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        district, subs, communities = build_tree(args.units)
        user = User.objects.create(username="bench", full_name="基准")
        for unit in (subs[3], subs[7], communities[-1]):
            RoleAssignment.objects.create(user=user, org_unit=unit, role=Role.APPROVER)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE orgs_orgunit")
        print(
            f"{connection.vendor}: {OrgUnit.objects.count()} units built in "
            f"{time.perf_counter() - started:.1f} s; {args.repeat} calls per query\n"
        )

        sub, comm = subs[12], communities[len(communities) // 2]
        checks = [
            ("org_subtree(subdistrict)", lambda: len(list(selectors.org_subtree(sub)))),
            (
                "org_subtree(subdistrict) ids only",
                lambda: len(list(selectors.org_subtree(sub).values_list("pk", flat=True))),
            ),
            ("org_subtree(community)", lambda: len(list(selectors.org_subtree(comm)))),
            ("org_subtree(district)", lambda: len(list(selectors.org_subtree(district)))),
            (
                "org_ancestors(grid)",
                lambda: len(
                    list(selectors.org_ancestors(OrgUnit(path=f"{comm.path}{99999:010d}/")))
                ),
            ),
            (
                "scope_units(3 assignments)",
                lambda: (
                    permissions.forget_roles(user),
                    len(list(permissions.scope_units(user, Role.APPROVER))),
                )[1],
            ),
            (
                "scope_q count (roles cached)",
                lambda: OrgUnit.objects.filter(
                    permissions.scope_q(user, Role.APPROVER, "path")
                ).count(),
            ),
        ]
        print(f"{'query':32} {'rows':>6} {'p50 ms':>8} {'p95 ms':>8}")
        for label, fn in checks:
            p50, p95, rows = timed(fn, args.repeat)
            print(f"{label:32} {rows:>6} {p50:>8.2f} {p95:>8.2f}")
        print("\nquery plan of org_subtree(subdistrict):")
        print(selectors.org_subtree(sub).explain())
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
