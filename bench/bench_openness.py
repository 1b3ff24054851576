"""Benchmark: the disclosure portal over 100,000 generated publications.

    .venv/bin/python bench/bench_openness.py [--publications 100000] [--requests 300] \
        [--depth 500] [--seed 7] [--keep]
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
by topic, by year), deep list pages (page ``--depth``, 500 by default, and halfway there,
of the whole list and of the district's records, reached by their cursors as 下一页 would),
searches (body words and phrases, with and without filters), publication pages, and the
staff publication list of a district supervisor (first pages with filters, and its page
``--depth``); then, in the selector alone, the public list's page ``--depth`` read as the
pager did before (OFFSET and an exact count: "sel offset") and from its cursor ("sel
keyset"). Prints p50/p95/max in milliseconds per page kind, and on PostgreSQL EXPLAIN
ANALYZE of the deep pages' queries. The page cache is off (``SANYI_PAGE_CACHE=0``), so the
anonymous pages are rendered each time; cached pages are bench_public_pages.py's.

A reduced run for a shared machine: ``--publications 20000 --requests 100``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

import benchdb

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
    os.environ.setdefault("SANYI_REQUIRE_ADMIN_OTP", "0")
    # The pages are timed as rendered, not as served from the page cache (core.pagecache).
    os.environ.setdefault("SANYI_PAGE_CACHE", "0")
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
        # Saved when published (drafts: some time in the last year), as the services do.
        changed = adapt(
            min(publish_at, now)
            if publish_at
            else now - dt.timedelta(minutes=rng.randint(1, 525_600))
        )
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
                changed,
                changed,
                "normative" if rng.random() < 0.05 else "other",
            )
        )
    table = Publication._meta.db_table
    # Every other NOT NULL column gets its Django default (the database has none; "" for
    # text), so the benchmark survives new fields.
    extra = [
        f
        for f in Publication._meta.concrete_fields
        if f.column not in COLUMNS and not f.null and not f.primary_key
    ]
    defaults = tuple(
        json.dumps(v) if isinstance(v := f.get_default(), dict | list) else v for f in extra
    )
    rows = [row + defaults for row in rows]
    columns = [*COLUMNS, *(f.column for f in extra)]
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})"
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            cursor.executemany(sql, rows[start : start + 5000])


WORDS = ["低保", "救助", "公示", "补贴", "招聘", "预算", "养老", "医保", "防汛", "安全生产"]


def request_mixes(rng: random.Random, units) -> tuple[list, list]:
    """The portal requests of the mix, as callables giving the GET parameters: list pages
    (all, by unit, by topic, by year; the deep pages come from ``list_cursors``) and
    searches (body words and phrases, with and without filters). ``bench_search_pages.py``
    uses the same searches."""
    from sanyi.openness.choices import Topic

    years = list(range(2015, 2027))
    list_cases = [
        lambda: {},
        lambda: {"unit": str(rng.choice(units).pk)},
        lambda: {"topic": rng.choice(Topic.values)},
        lambda: {"year": str(rng.choice(years))},
    ]
    search_cases = [
        lambda: {"q": rng.choice(WORDS)},
        lambda: {"q": rng.choice(SUBJECTS)},
        lambda: {"q": rng.choice(WORDS), "topic": rng.choice(Topic.values)},
        lambda: {"q": rng.choice(WORDS), "unit": str(rng.choice(units[:7]).pk)},
        lambda: {"q": rng.choice(WORDS) + rng.choice(WORDS)},
    ]
    return list_cases, search_cases


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


def list_cursors(units, depth: int) -> list[dict]:
    """Query strings of deep public list pages, reached as 下一页 would (not timed): page
    ``depth`` of the whole list and of the district's own records, and halfway there."""
    from sanyi.core.pagination import KeysetPager
    from sanyi.openness.selectors import PublicFilters, publication_public_list
    from sanyi.openness.web.public import PAGE_SIZE

    found = []
    for params, filters in (
        ({}, PublicFilters()),
        ({"unit": str(units[0].pk)}, PublicFilters(unit=units[0])),
    ):
        pager = KeysetPager(
            publication_public_list(filters), per_page=PAGE_SIZE, name="openness.public"
        )
        page = pager.page()
        while page.has_next and page.number < depth - 1:
            page = pager.page(after=page.next_cursor)
            if page.number == depth // 2:
                found.append({**params, "after": page.next_cursor})
        if page.has_next:
            found.append({**params, "after": page.next_cursor})
            rows = pager.rows_after(page.next_cursor)[: PAGE_SIZE + 1]
            explain(f"public list {params or 'all'}, page {page.number + 1}", rows)
    return found


def staff_list_figures(units, rng, args) -> dict[str, list[float]]:
    """The staff publication list of a district supervisor: first pages with filters, and
    page ``--depth`` (or the deepest) by its cursor."""
    from django.test import Client
    from django.urls import reverse

    from sanyi.core.pagination import KeysetPager
    from sanyi.openness.choices import PublicationStatus, Topic
    from sanyi.openness.selectors import publication_list
    from sanyi.openness.web.staff import PER_PAGE
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f

    officer = org_f.staff(units[0], Role.SUPERVISOR, username="bench_open_supervisor")
    client = Client(HTTP_HOST="localhost")
    client.force_login(officer)
    url = reverse("workbench:openness:publications")
    pager = KeysetPager(publication_list(viewer=officer), per_page=PER_PAGE, name="openness.staff")
    page = pager.page()
    while page.has_next and page.number < args.depth - 1:
        page = pager.page(after=page.next_cursor)
    deep = {"after": page.next_cursor}
    print(f"deep staff list page: {page.number + 1}", flush=True)
    cases = {
        "staff list": lambda: {},
        "staff status": lambda: {
            "status": rng.choice([PublicationStatus.PUBLISHED, PublicationStatus.DRAFT])
        },
        "staff unit": lambda: {"unit": str(rng.choice(units).pk)},
        "staff topic": lambda: {"topic": rng.choice(Topic.values)},
        "staff deep": lambda: deep,
    }
    figures: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.requests // 5):
        for name, params in cases.items():
            figures[name].append(timed(client, url, params()))
    explain("staff list, deep page", pager.rows_after(deep["after"])[: PER_PAGE + 1])
    explain_filters(units, officer, args.depth)
    return figures


def offset_figures(args) -> dict[str, list[float]]:
    """The public list's page ``--depth`` read as the pager did before (OFFSET and an exact
    count) and as it does now (from its cursor, the count stopping at 1000), in the
    selector alone."""
    from sanyi.core.pagination import KeysetPager
    from sanyi.openness.selectors import PublicFilters, publication_public_list
    from sanyi.openness.web.public import PAGE_SIZE

    qs = publication_public_list(PublicFilters())
    pager = KeysetPager(qs, per_page=PAGE_SIZE, name="openness.public")
    page = pager.page()
    while page.has_next and page.number < args.depth - 1:
        page = pager.page(after=page.next_cursor)
    start = page.number * PAGE_SIZE
    cursor = page.next_cursor

    def clock(fn) -> float:
        t0 = time.perf_counter()
        fn()
        return (time.perf_counter() - t0) * 1000

    figures: dict[str, list[float]] = {"sel offset": [], "sel keyset": []}
    for _ in range(args.requests // 2):
        figures["sel offset"].append(
            clock(lambda: (list(qs[start : start + PAGE_SIZE]), qs.count()))
        )
        figures["sel keyset"].append(clock(lambda: pager.page(after=cursor)))
    return figures


def explain(label: str, queryset) -> None:
    """The lines of EXPLAIN ANALYZE that say which index a query reads and from where."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    wanted = re.compile(r"Scan using|Index Cond|Sort Key|Rows Removed|Execution Time")
    lines = [line.strip() for line in queryset.explain(analyze=True).splitlines()]
    print(f"EXPLAIN ANALYZE {label}:")
    print("\n".join(f"  {line}" for line in lines if wanted.search(line)), flush=True)


def explain_filters(units, officer, depth: int) -> None:
    """Page ``depth`` (or the deepest) of each filter the lists offer that an index serves."""
    from sanyi.core.pagination import KeysetPager
    from sanyi.openness.choices import PublicationStatus
    from sanyi.openness.selectors import (
        PublicFilters,
        StaffPublicationFilters,
        publication_list,
        publication_public_list,
    )

    lists = {
        "public, one topic": publication_public_list(PublicFilters(topic="health")),
        "public, one year": publication_public_list(PublicFilters(year=2020)),
        "public, a community": publication_public_list(PublicFilters(unit=units[-1])),
        "staff, published": publication_list(
            viewer=officer, filters=StaffPublicationFilters(status=PublicationStatus.PUBLISHED)
        ),
        "staff, normative": publication_list(
            viewer=officer, filters=StaffPublicationFilters(document_kind="normative")
        ),
        "staff, a subdistrict": publication_list(
            viewer=officer, filters=StaffPublicationFilters(unit=units[1])
        ),
    }
    for label, qs in lists.items():
        pager = KeysetPager(qs, per_page=20, name="bench")
        page, cursor = pager.page(), None
        while page.has_next and page.number < depth:
            cursor = page.next_cursor
            page = pager.page(after=cursor)
        if cursor:
            explain(f"{label}, page {page.number}", pager.rows_after(cursor)[:21])


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from sanyi.openness import indexing
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
            cursor.execute("VACUUM ANALYZE")  # what autovacuum would have done by now

    client = Client(HTTP_HOST="localhost")
    list_url, search_url = reverse("openness:list"), reverse("openness:search")
    client.get(search_url, {"q": "低保"})  # load the lexicon before the clock starts
    deep = list_cursors(units, args.depth)
    list_cases, search_cases = request_mixes(rng, units)
    results: dict[str, list[float]] = {"list": [], "list deep": [], "search": []}
    for _ in range(args.requests):
        results["list"].append(timed(client, list_url, rng.choice(list_cases)()))
        if deep:  # none when the list is shorter than --depth pages
            results["list deep"].append(timed(client, list_url, rng.choice(deep)))
        results["search"].append(timed(client, search_url, rng.choice(search_cases)()))
    results["detail"] = [
        timed(client, reverse("openness:publication", args=[pk]), {})
        for pk in Publication.objects.filter(status="published")
        .order_by("?")
        .values_list("pk", flat=True)[: args.requests // 3]
    ]
    results.update(staff_list_figures(units, rng, args))
    results.update(offset_figures(args))

    print(f"database: {connection.vendor}")
    print(
        f"publications: {args.publications:,} inserted in {insert_seconds:.1f} s; "
        f"{indexed:,} indexed (scheduled + published) in {index_seconds:.1f} s"
    )
    for name, values in results.items():
        if not values:
            print(f"{name:>7}: none (the data has fewer pages than --depth)")
            continue
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
    parser.add_argument(
        "--depth", type=int, default=500, help="the deep list page timed (or the deepest)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database")
    args = parser.parse_args()

    with benchdb.bench_database("sanyi_bench_open", setup_django, keep=args.keep):
        run(args)


if __name__ == "__main__":
    main()
