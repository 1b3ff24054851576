"""Benchmark: the disclosure portal over 100,000 generated publications.

    .venv/bin/python bench/bench_openness.py [--publications 100000] [--requests 300] [--seed 7]
    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_openness.py

SQLite by default, in a temporary file deleted afterwards. When DATABASE_URL is a
PostgreSQL URL, the script creates its own database sanyi_bench_open_<pid> on that server
(the user needs CREATEDB), runs there and drops it at the end.

Publications are spread over a district, 6 subdistricts and 30 communities, 12 years and
every topic; about 10 % are not public (drafts, on-request, revoked, scheduled in the
future), so the public filter does real work. Titles are built from templates; bodies are
sentences of the real documents in src/sanyi/openness/demo/publications.jsonl. Rows are
bulk inserted (timed) and indexed with ``search_reindex`` (timed). Then the portal pages
are requested through Django's test client, as a browser would: list pages (all, by unit,
by topic, by year, deep pages) and searches (body words and phrases, with and without
filters). Prints p50/p95/max in milliseconds per page kind.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "src/sanyi/openness/demo/publications.jsonl"
TITLES = [
    "关于{unit}{year}年{subject}的公示",
    "{unit}关于印发{subject}实施方案的通知",
    "{unit}{year}年{subject}工作总结",
    "关于调整{subject}标准的通知",
    "{unit}{subject}办理结果公告",
]
SUBJECTS = [
    "最低生活保障", "临时救助", "高龄津贴", "耕地地力保护补贴", "公益性岗位", "城乡居民医保",
    "家庭医生签约", "居家养老服务", "农村危房改造", "保障性住房", "义务教育招生", "法律援助",
    "财政预算", "安全生产检查", "环境保护督查", "食品安全抽检", "防汛物资储备", "人事任免",
]  # fmt: skip


def setup_django(database_url: str, data_dir: str) -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANYI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sanyi.settings")
    os.environ.setdefault("SANYI_ENV", "test")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    import django

    django.setup()


def sentences() -> list[str]:
    found = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        body = json.loads(line)["body"]
        found += [
            s.strip() + "。" for s in re.split(r"[。\n]", body) if 12 <= len(s.strip()) <= 120
        ]
    return found


def build_units():
    from sanyi.core.ids import make_uscc
    from sanyi.orgs import services
    from sanyi.orgs.models import OrgKind

    actor = "系统：基准测试"
    n = iter(range(1, 1000))

    def uscc():
        return make_uscc(f"11990199BM{next(n):07d}")

    district = services.org_unit_create(
        actor=actor, kind=OrgKind.DISTRICT, name="基准区", uscc=uscc()
    )
    units = [district]
    for s in range(6):
        sub = services.org_unit_create(
            actor=actor,
            kind=OrgKind.SUBDISTRICT,
            name=f"第{s + 1}街道",
            parent=district,
            uscc=uscc(),
        )
        units.append(sub)
        for c in range(5):
            units.append(
                services.org_unit_create(
                    actor=actor,
                    kind=OrgKind.COMMUNITY,
                    name=f"第{s + 1}街道第{c + 1}社区",
                    parent=sub,
                )
            )
    return units


COLUMNS = [
    "publisher_id", "publisher_label", "title", "body", "body_text", "index_number",
    "written_on", "formed_on", "publish_at", "document_number", "topic", "validity",
    "validity_changed_on", "keywords", "attribute", "non_disclosure_ground", "status",
    "review_comment", "revoke_reason", "source_url", "provenance", "created_at", "updated_at",
    "document_kind",
]  # fmt: skip


def insert(count: int, units, rng: random.Random) -> None:
    """Plain multi-row INSERTs: building 100,000 model instances for bulk_create costs
    more than the database work itself."""
    import datetime as dt

    from django.db import connection, transaction
    from django.utils import timezone

    from sanyi.openness.choices import DisclosureAttribute, PublicationStatus, Topic
    from sanyi.openness.models import Publication

    texts = sentences()
    topics = Topic.values
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    stamp = adapt(now)
    rows = []
    counters: dict[tuple[int, int], int] = {}
    for _ in range(count):
        unit = rng.choice(units)
        publish_at = now - dt.timedelta(minutes=rng.randint(1, 12 * 365 * 24 * 60))
        roll = rng.random()
        status, attribute = PublicationStatus.PUBLISHED, DisclosureAttribute.PROACTIVE
        if roll < 0.03:
            status, publish_at = PublicationStatus.DRAFT, None
        elif roll < 0.05:
            status, attribute, publish_at = (
                PublicationStatus.APPROVED, DisclosureAttribute.ON_REQUEST, None
            )  # fmt: skip
        elif roll < 0.08:
            status = PublicationStatus.REVOKED
        elif roll < 0.10:
            status = PublicationStatus.SCHEDULED
            publish_at = now + dt.timedelta(days=rng.randint(1, 30))
        index_number = None
        if publish_at:
            # As the services do: a community numbers under its subdistrict's USCC.
            prefix = unit.uscc or unit.parent.uscc
            key = (prefix, publish_at.year)
            counters[key] = counters.get(key, 0) + 1
            index_number = f"{prefix}/{publish_at.year}-{counters[key]:05d}"
        body = "".join(rng.sample(texts, rng.randint(1, 3)))
        title = rng.choice(TITLES).format(
            unit=unit.name,
            year=publish_at.year if publish_at else 2026,
            subject=rng.choice(SUBJECTS),
        )
        rows.append(
            (
                unit.pk,
                "",
                title,
                f"<p>{body}</p>",
                body,
                index_number,
                None,
                None,
                adapt(publish_at) if publish_at else None,
                "",
                rng.choice(topics),
                "valid",
                None,
                "",
                attribute,
                "",
                status,
                "",
                "",
                "",
                "{}",
                stamp,
                stamp,
                "normative" if rng.random() < 0.05 else "other",
            )
        )
    table = Publication._meta.db_table
    placeholders = ", ".join(["%s"] * len(COLUMNS))
    sql = f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


def timed(client, url: str, params: dict) -> float:
    t0 = time.perf_counter()
    response = client.get(url, params)
    elapsed = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} {params} → {response.status_code}")
    return elapsed


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sanyi.openness import indexing
    from sanyi.openness.choices import Topic
    from sanyi.openness.models import Publication

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    units = build_units()

    t0 = time.perf_counter()
    insert(args.publications, units, rng)
    insert_seconds = time.perf_counter() - t0
    print(f"inserted {args.publications:,} in {insert_seconds:.1f} s; indexing…", flush=True)
    t0 = time.perf_counter()
    indexed = indexing.reindex_all()
    index_seconds = time.perf_counter() - t0
    print(f"indexed {indexed:,} in {index_seconds:.1f} s; requesting pages…", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ["openness_publication", "search_searchdocument", "search_searchfacet"]:
                cursor.execute(f"ANALYZE {table}")

    client = Client(HTTP_HOST="localhost")
    list_url, search_url = reverse("openness:list"), reverse("openness:search")
    client.get(search_url, {"q": "低保"})  # load the lexicon before the clock starts
    years = list(range(2015, 2027))
    list_cases = [
        lambda: {},
        lambda: {"unit": str(rng.choice(units).pk)},
        lambda: {"topic": rng.choice(Topic.values)},
        lambda: {"year": str(rng.choice(years))},
        lambda: {"unit": str(units[0].pk), "page": str(rng.randint(2, 200))},
    ]
    words = ["低保", "救助", "公示", "补贴", "招聘", "预算", "养老", "医保", "防汛", "安全生产"]
    search_cases = [
        lambda: {"q": rng.choice(words)},
        lambda: {"q": rng.choice(SUBJECTS)},
        lambda: {"q": rng.choice(words), "topic": rng.choice(Topic.values)},
        lambda: {"q": rng.choice(words), "unit": str(rng.choice(units[:7]).pk)},
        lambda: {"q": rng.choice(words) + rng.choice(words)},
    ]
    results: dict[str, list[float]] = {"list": [], "search": []}
    for _ in range(args.requests):
        results["list"].append(timed(client, list_url, rng.choice(list_cases)()))
        results["search"].append(timed(client, search_url, rng.choice(search_cases)()))
    results["detail"] = [
        timed(client, reverse("openness:publication", args=[pk]), {})
        for pk in Publication.objects.filter(status="published")
        .order_by("?")
        .values_list("pk", flat=True)[: args.requests // 3]
    ]

    print(f"database: {connection.vendor}")
    print(
        f"publications: {args.publications:,} inserted in {insert_seconds:.1f} s; "
        f"{indexed:,} indexed (scheduled + published) in {index_seconds:.1f} s"
    )
    for name, values in results.items():
        print(
            f"{name:>7}: n={len(values)} p50={percentile(values, 50):.1f} ms "
            f"p95={percentile(values, 95):.1f} ms max={max(values):.1f} ms "
            f"mean={statistics.fmean(values):.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--publications", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    base_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="sanyi-bench-open-") as tmp:
        if base_url.startswith(("postgres://", "postgresql://")):
            import psycopg

            name = f"sanyi_bench_open_{os.getpid()}"
            parts = urlsplit(base_url)
            admin_url = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                setup_django(urlunsplit(parts._replace(path=f"/{name}")), tmp)
                run(args)
            finally:
                from django.db import connections

                connections.close_all()
                with psycopg.connect(admin_url, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        else:
            setup_django(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", tmp)
            run(args)


if __name__ == "__main__":
    main()
