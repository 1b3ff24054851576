"""Benchmark: verifying an audit chain of 1,000,000 keyed records.

    .venv/bin/python bench/bench_audit.py [--records 1000000] [--batch 5000]

Builds the chain in a throw-away test database (SQLite in memory by default; PostgreSQL
when DATABASE_URL points to it, in a database named test_<name> that is dropped after).
Records are signed exactly as audit_record signs them, but bulk-inserted in batches rather
than appended one by one (this measures verify, not writing). Prints the time to build,
the time and rate of ``audit_chain_verify``, and how much the process's peak memory grew
while verifying, which stays flat because verify reads in batches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
import sys
import time
from pathlib import Path


def setup_django() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("SANYI_AUDIT_KEY", "bench:benchmark-only-not-a-secret-audit-key")
    import django

    django.setup()


def build_chain(total: int, batch: int) -> None:
    from django.db import transaction

    from sanyi.audit.hashing import GENESIS_HASH, event_hash
    from sanyi.audit.keys import signing_key
    from sanyi.audit.models import AuditChainHead, AuditEvent

    key_id, key = signing_key()
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    prev = GENESIS_HASH
    for first in range(1, total + 1, batch):
        rows = []
        for seq in range(first, min(first + batch, total + 1)):
            fields = {
                "created_at": start + dt.timedelta(seconds=seq),
                "actor_label": "系统：基准",
                "action": "case.accept",
                "object_type": "cases.case",
                "object_id": str(seq),
                "object_repr": f"办件 {seq:08d}",
                "changes": {"status": ["submitted", "accepted"], "assignee_id": [None, seq % 97]},
                "ip": "10.0.0.1",
                "note": "",
            }
            digest = event_hash(
                seq=seq, key_id=key_id, key=key, prev_hash=prev, actor_id=None, **fields
            )
            rows.append(AuditEvent(seq=seq, prev_hash=prev, hash=digest, key_id=key_id, **fields))
            prev = digest
        with transaction.atomic():
            AuditEvent.objects.bulk_create(rows)
    AuditChainHead.objects.update_or_create(pk=1, defaults={"last_seq": total, "last_hash": prev})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    args = parser.parse_args()

    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    from sanyi.audit.selectors import audit_chain_verify

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        started = time.perf_counter()
        build_chain(args.records, 5000)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE audit_auditevent")
        print(
            f"{connection.vendor}: {args.records} records built in "
            f"{time.perf_counter() - started:.1f} s"
        )
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        report = audit_chain_verify(batch_size=args.batch)
        took = time.perf_counter() - started
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before  # KiB
        print(
            f"verify: ok={report.ok} checked={report.checked} in {took:.1f} s "
            f"({report.checked / took:,.0f} records/s, batch {args.batch}); "
            f"peak memory grew by {grown / 1024:.1f} MiB"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
