"""Benchmark: the search pages against the pages they lead to, in one process on one database.

    .venv/bin/python bench/bench_search_pages.py [--items 10000] [--publications 100000]
        [--queries 1000] [--disclosure-queries 300] [--pages 300] [--seed 7]
    DATABASE_URL=postgres://user@host:5432/any .venv/bin/python bench/bench_search_pages.py

The target: a search page's p95 at most 3 times the guide page's p95, at 10,000 items (the
service search ``/services/search/?q=…`` against guides ``/services/<code>/``) and at
100,000 publications (the disclosure search ``/open/search/?q=…`` against records
``/open/p/<id>/``). SQLite by default, in a temporary folder deleted afterwards; with a
PostgreSQL DATABASE_URL the script makes its own database sanyi_bench_spages_<pid> on that
server (the user needs CREATEDB) and drops it at the end.

Settings: production (``SANYI_ENV=production``, ``DEBUG`` off, local-memory cache, page
cache on, the segmenter warmed up before the clock starts) through
``bench/search_pages_settings.py``, which only names static files without the manifest
(no ``collectstatic``). Every page goes through Django's test client, so through the whole
middleware stack (sessions, CSRF, rate limits, analytics, CSP).

Data, from the other benchmarks' generators:

- ``--items`` published guides: ``bench_search.build_entries`` gives each its name, text
  and facets. A few real guides per department are made through the catalogue services
  (the test factories); the rest are copies of them (items, versions, materials, steps,
  legal bases …) bulk inserted, each with its own name and conditions. The index is
  written with ``search_reindex`` from the same entries, under the catalogue's kind, with
  the guide's address and a collapse key per item, so ``bench_search.build_queries``'s
  filters find what they look for.
- ``--publications`` records: ``bench_openness.insert`` (multi-row INSERTs) and
  ``openness.indexing.reindex_all``; the searches are ``bench_openness.request_mixes``'s.

Measured, each request from a new anonymous visitor (no cookies; another client address
each time, as residents are, so the per-address search limit does not answer 429):

- the service search page over the ``--queries`` mixed queries of ``bench_search``;
- ``--pages`` guides picked at random: first visit (rendered, put into the page cache),
  again (served from the page cache), and rendered for a signed-in visitor (never from
  the shared cache);
- the disclosure search page over ``--disclosure-queries`` searches, and ``--pages``
  published records, the same three ways.

Prints p50 / p95 / max in ms, the ratios search p95 / page p95 and the verdict against
the ≤ 3× target for both guide figures (cached and rendered). ``--items 0`` or
``--publications 0`` leaves one half out.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import itertools
import logging
import os
import random
import secrets
import sys
import time
from pathlib import Path

import benchdb

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent / "src"))

import bench_openness  # noqa: E402
import bench_search  # noqa: E402

TARGET = 3.0
ACTOR = "系统：基准测试"
_addresses = itertools.count(1)
# bench_search's level facet values → the catalogue's (ItemLevel).
LEVELS = {"district": "4", "subdistrict": "5", "community": "6"}


def catalogue_facets(facets: dict[str, list[str]]) -> dict[str, list[str]]:
    return {k: [LEVELS[x] for x in v] if k == "level" else v for k, v in facets.items()}


def setup_django(database_url: str, data_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["SANYI_DATA_DIR"] = data_dir
    (Path(data_dir) / "static").mkdir(exist_ok=True)  # whitenoise's root; nothing collected
    os.environ["DJANGO_SETTINGS_MODULE"] = "search_pages_settings"
    os.environ["SANYI_ENV"] = "production"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.setdefault("SANYI_AUDIT_KEY", f"bench:{secrets.token_urlsafe(48)}")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("SANYI_TASKS_BACKEND", "immediate")
    import django

    django.setup()
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per sign-in otherwise


# --- data --------------------------------------------------------------------------------


def build_departments(district) -> dict[str, object]:
    from sanyi.core.ids import make_uscc
    from sanyi.orgs import services
    from sanyi.orgs.models import OrgKind

    names = sorted({dept for _, dept, _ in bench_search.SUBJECTS})
    return {
        name: services.org_unit_create(
            actor=ACTOR,
            kind=OrgKind.DEPARTMENT,
            name=name,
            parent=district,
            uscc=make_uscc(f"11990199DP{n + 1:07d}"),
        )
        for n, name in enumerate(names)
    }


def _copy_fields(instance, **overrides) -> dict:
    fields = {
        f.attname: getattr(instance, f.attname)
        for f in type(instance)._meta.concrete_fields
        if not f.primary_key
    }
    fields.update(overrides)
    return fields


def build_items(count: int, district, rng: random.Random) -> list:
    """``count`` published guides named and worded as ``bench_search.build_entries``
    makes them; returns the index entries, pointing at the guides."""
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from sanyi.catalog import indexing
    from sanyi.catalog.models import BaseItem, ImplementationItem, ItemVersion, VersionChild
    from sanyi.catalog.tests import factories as catalog_f
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f
    from sanyi.search.services import search_reindex

    departments = build_departments(district)
    reviewer = org_f.staff(district, Role.CATALOG_ADMIN, username="bench_reviewer")
    with indexing.indexing_suspended():
        templates = {
            name: catalog_f.item(
                unit=unit, status="published", reviewer=reviewer, name=f"{name}基准模板事项"
            )
            for name, unit in departments.items()
        }
    children = [
        rel
        for rel in ItemVersion._meta.related_objects
        if issubclass(rel.related_model, VersionChild)
    ]
    template_children = {
        name: {rel: list(rel.related_model.objects.filter(version=v)) for rel in children}
        for name, v in templates.items()
    }
    entries = list(bench_search.build_entries(count, rng))
    now = timezone.now()
    with transaction.atomic(), indexing.indexing_suspended():
        bases = BaseItem.objects.bulk_create(
            BaseItem(
                # Numbered from 50,001: clear of the templates' codes.
                base_code=f"{e.facets['item_type'][0]}{n + 50_001:05d}000",
                name=e.title,
                item_type=e.facets["item_type"][0],
            )
            for n, e in enumerate(entries)
        )
        items = ImplementationItem.objects.bulk_create(
            ImplementationItem(
                implementation_code=f"{departments[e.facets['department'][0]].uscc}"
                f"{base.base_code:0<10}001",
                base_item=base,
                implementing_unit=departments[e.facets["department"][0]],
                level=LEVELS[e.facets["level"][0]],
                power_source="1",
                implementer_nature="1",
            )
            for e, base in zip(entries, bases, strict=True)
        )
        versions = ItemVersion.objects.bulk_create(
            ItemVersion(
                **_copy_fields(
                    templates[e.facets["department"][0]],
                    implementation_item_id=item.pk,
                    number=1,
                    acceptance_conditions=e.body,
                    themes_person=e.facets["theme"],
                    published_at=now - dt.timedelta(days=rng.randint(1, 900)),
                )
            )
            for e, item in zip(entries, items, strict=True)
        )
        for rel in children:
            rel.related_model.objects.bulk_create(
                (
                    rel.related_model(**_copy_fields(child, version_id=version.pk))
                    for e, version in zip(entries, versions, strict=True)
                    for child in template_children[e.facets["department"][0]][rel]
                ),
                batch_size=2000,
            )
    entries = [
        dataclasses.replace(
            e,
            object_id=item.implementation_code,
            url=reverse("catalog:guide", args=[item.implementation_code]),
            collapse_key=item.base_item.base_code,
            is_public=True,
            facets=catalogue_facets(e.facets),
        )
        for e, item in zip(entries, items, strict=True)
    ]
    search_reindex(indexing.ITEM_KIND, entries)
    return entries


# --- measuring ---------------------------------------------------------------------------


def percentile(values: list[float], pct: float) -> float:
    return bench_openness.percentile(values, pct)


def timed(client, url: str, params: dict | None = None) -> float:
    """One request from a visitor at a new address; ms."""
    n = next(_addresses)
    address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"
    t0 = time.perf_counter()
    response = client.get(url, params or {}, REMOTE_ADDR=address)
    elapsed = (time.perf_counter() - t0) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} {params} → {response.status_code}")
    return elapsed


def visit_all(url_params: list[tuple[str, dict]], *, user=None) -> list[float]:
    """Each request by a new visitor (no cookies), or all by ``user`` signed in."""
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    if user is not None:
        client.force_login(user)
    times = []
    for url, params in url_params:
        if user is None:
            client.cookies.clear()
        times.append(timed(client, url, params))
    return times


def page_figures(urls: list[str], user) -> dict[str, list[float]]:
    anonymous = [(u, {}) for u in urls]
    return {
        "first visit (rendered, cached)": visit_all(anonymous),
        "anonymous (from the page cache)": visit_all(anonymous),
        "signed in (rendered)": visit_all(anonymous, user=user),
    }


def log_rows() -> int:
    from sanyi.search.models import SearchQueryLog

    return SearchQueryLog.objects.count()


def measure_services(args, entries, user, rng: random.Random) -> dict[str, list[float]]:
    from django.urls import reverse

    queries = bench_search.build_queries(args.queries, rng)
    search_url = reverse("catalog:search")
    requests = []
    for _kind, text, filters in queries:
        requests.append((search_url, {"q": text, **catalogue_facets(filters)}))
    before = log_rows()
    figures = {"search": visit_all(requests)}
    logged = log_rows() - before
    if logged != len(requests):
        raise SystemExit(f"query log: {logged} rows for {len(requests)} searches")
    by_kind: dict[str, list[float]] = {}
    for (kind, _text, filters), ms in zip(queries, figures["search"], strict=True):
        by_kind.setdefault(kind + (" + filter" if filters and kind != "browse" else ""), []).append(
            ms
        )
    for kind, values in sorted(by_kind.items()):
        print(
            f"  search, {kind:<18} n={len(values):<4} p50 {percentile(values, 50):6.1f} ms  "
            f"p95 {percentile(values, 95):6.1f} ms",
            flush=True,
        )
    sample = rng.sample(entries, min(args.pages, len(entries)))
    figures.update(page_figures([e.url for e in sample], user))
    return figures


def measure_disclosure(args, units, user, rng: random.Random) -> dict[str, list[float]]:
    from django.urls import reverse

    from sanyi.openness.models import Publication

    _, search_cases = bench_openness.request_mixes(rng, units)
    search_url = reverse("openness:search")
    requests = [(search_url, rng.choice(search_cases)()) for _ in range(args.disclosure_queries)]
    before = log_rows()
    figures = {"search": visit_all(requests)}
    logged = log_rows() - before
    if logged != len(requests):
        raise SystemExit(f"query log: {logged} rows for {len(requests)} searches")
    slowest = sorted(zip(figures["search"], requests, strict=True), key=lambda r: r[0])[-5:]
    for ms, (_url, params) in reversed(slowest):
        print(f"  slow search {ms:7.1f} ms: {params}", flush=True)
    ids = list(Publication.objects.filter(status="published").values_list("pk", flat=True))
    urls = [reverse("openness:publication", args=[pk]) for pk in rng.sample(ids, args.pages)]
    figures.update(page_figures(urls, user))
    return figures


def report(title: str, figures: dict[str, list[float]], page: str) -> list[str]:
    lines = [title]
    for name, values in figures.items():
        label = "search" if name == "search" else f"{page}, {name}"
        lines.append(
            f"  {label:<44} n={len(values):<5} p50 {percentile(values, 50):7.1f} ms  "
            f"p95 {percentile(values, 95):7.1f} ms  max {max(values):7.1f} ms"
        )
    search_p95 = percentile(figures["search"], 95)
    for name in ("anonymous (from the page cache)", "signed in (rendered)"):
        ratio = search_p95 / percentile(figures[name], 95)
        verdict = "met" if ratio <= TARGET else f"missed ({ratio / TARGET:.1f}× over)"
        lines.append(f"  search p95 / {page} p95, {name}: {ratio:.1f}× — ≤{TARGET:.0f}× {verdict}")
    return lines


def run(args) -> None:
    from django.core.management import call_command
    from django.db import connection

    from sanyi.openness import indexing as openness_indexing
    from sanyi.orgs.models import Role
    from sanyi.orgs.tests import factories as org_f
    from sanyi.search import text as search_text

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    units = bench_openness.build_units()
    user = org_f.staff(units[0], Role.SUPERVISOR, username="bench_visitor")
    lines = [f"database: {connection.vendor}"]

    entries = []
    if args.items:
        t0 = time.perf_counter()
        entries = build_items(args.items, units[0], rng)
        lines.append(f"items: {args.items:,} made and indexed in {time.perf_counter() - t0:.0f} s")
        print(lines[-1], flush=True)
    if args.publications:
        t0 = time.perf_counter()
        bench_openness.insert(args.publications, units, rng)
        indexed = openness_indexing.reindex_all()
        lines.append(
            f"publications: {args.publications:,} inserted, {indexed:,} indexed in "
            f"{time.perf_counter() - t0:.0f} s"
        )
        print(lines[-1], flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # What autovacuum has done on a site in service: the planner's statistics, and
            # the visibility map that lets an index be read without the table.
            cursor.execute("VACUUM ANALYZE")
    search_text.index_words("户口迁移登记")  # the segmenter's dictionary, as SANYI_WARM_UP does

    if args.items:
        t0 = time.perf_counter()
        figures = measure_services(args, entries, user, rng)
        lines += report(
            f"service search at {args.items:,} items ({time.perf_counter() - t0:.0f} s)",
            figures,
            "guide",
        )
        print("\n".join(lines[-6:]), flush=True)
    if args.publications:
        t0 = time.perf_counter()
        figures = measure_disclosure(args, units, user, rng)
        lines += report(
            f"disclosure search at {args.publications:,} publications "
            f"({time.perf_counter() - t0:.0f} s)",
            figures,
            "record",
        )
    print("\n" + "\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--publications", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--disclosure-queries", type=int, default=300)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    with benchdb.bench_database("sanyi_bench_spages", setup_django):
        run(args)


if __name__ == "__main__":
    main()
