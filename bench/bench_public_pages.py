"""Benchmark: public pages for anonymous visitors, against a bare Django view.

    .venv/bin/python bench/bench_public_pages.py [--seconds 8] [--users 16] [--workers 4]
                                                 [--cases 600] [--port 8766] [--keep]

Builds a throwaway demo site in a temporary folder (``bench_phone_pages.build_site``:
migrate, collectstatic, ``sanyi demo load``; SQLite; ``--cases`` sets the demo year's case
count), and serves it with gunicorn as docs/deploy.md runs it: production settings,
``--workers`` sync workers, on loopback. A bench-only settings module
(``public_pages_settings``, with ``public_pages_urls``) adds a bare view, ``/bench/bare/``,
that answers "ok" through the whole middleware stack; the product never has it.

Each page is then driven on its own by locust in headless mode (``locust_public_pages.py``):
``--users`` users (one connection each) requesting it without pause for ``--seconds``,
after a warm-up of a few requests (so every worker has rendered the page once). Its
User-Agent names a script, so guide views are not counted as demand. Printed per page:
requests/s, p50 and p95 in ms (locust rounds them), failed requests, and its requests/s as
a share of the bare view's in the same run. The "guide, revalidated" row sends the ETag
back and gets 304s.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import secrets
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
sys.path.insert(0, str(BENCH))

import bench_phone_pages  # noqa: E402  (the same throwaway demo site and gunicorn start)

WARM_UP_REQUESTS = 40
PATHS = """
import json
from sanyi.catalog.models import ItemVersion, LifeEvent
from sanyi.openness.models import Area
from sanyi.openness.selectors import publication_public_qs
from sanyi.orgs.models import OrgUnit
area = Area.objects.filter(is_active=True).order_by("sort_order").first().code
guide = (ItemVersion.objects.filter(status="published").exclude(steps=None)
         .order_by("implementation_item__implementation_code")
         .values_list("implementation_item__implementation_code", flat=True).first())
print(json.dumps({
    "guide": f"/services/{guide}/",
    "life event": f"/services/life-events/{LifeEvent.objects.order_by('pk').first().pk}/",
    "home": "/",
    "publication": f"/open/p/{publication_public_qs().order_by('-publish_at').first().pk}/",
    "disclosure home": "/open/",
    "disclosure list": "/open/list/",
    "area directory": f"/open/areas/{area}/",
    "unit feed": f"/open/units/{OrgUnit.objects.filter(depth=0).first().pk}/atom.xml",
}))
"""


def page_paths(env: dict[str, str]) -> dict[str, str]:
    out = bench_phone_pages.sanyi(env, "shell", "-v", "0", "-c", PATHS)
    return json.loads(out.strip().splitlines()[-1])


def production_env(env: dict[str, str]) -> dict[str, str]:
    """The demo's environment as production runs it, with the bench's settings module."""
    return {
        **env,
        "SANYI_ENV": "production",
        "SANYI_AUDIT_KEY": f"bench:{secrets.token_urlsafe(48)}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "public_pages_settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(BENCH)]),
    }


def warm(base: str, path: str) -> str:
    """Request the page until every worker has it; returns its ETag (or "")."""
    etag = ""
    for _ in range(WARM_UP_REQUESTS):
        with urllib.request.urlopen(base + path, timeout=30) as response:
            response.read()
            etag = response.headers.get("ETag", "")
    return etag


def drive(base: str, path: str, args, workdir: str, headers=None, status=200) -> dict:
    """One locust run against one page; the figures of its summary row."""
    prefix = os.path.join(workdir, "run")
    env = {
        **os.environ,
        "BENCH_PATH": path,
        "BENCH_HEADERS": json.dumps(headers or {}),
        "BENCH_STATUS": str(status),
    }
    subprocess.run(
        [
            sys.executable, "-m", "locust", "-f", str(BENCH / "locust_public_pages.py"),
            "--headless", "--users", str(args.users), "--spawn-rate", str(args.users),
            "--run-time", f"{args.seconds}s", "--host", base, "--csv", prefix,
            "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "5",
        ],
        env=env, check=False, capture_output=True, text=True, timeout=args.seconds + 120,
    )  # fmt: skip
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")
    return {
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "failed": int(row["Failure Count"]),
        "count": int(row["Request Count"]),
    }


def run(base: str, paths: dict[str, str], args) -> None:
    rows = []
    with tempfile.TemporaryDirectory(prefix="sanyi-bench-locust-") as workdir:
        warm(base, "/bench/bare/")
        rows.append(("bare view", "/bench/bare/", drive(base, "/bench/bare/", args, workdir)))
        for label, path in paths.items():
            etag = warm(base, path)
            rows.append((label, path, drive(base, path, args, workdir)))
            if label == "guide" and etag:
                revalidated = drive(
                    base, path, args, workdir, headers={"If-None-Match": etag}, status=304
                )
                rows.append(("guide, revalidated (304)", path, revalidated))
    bare = rows[0][2]["rps"] or 1.0
    print(
        f"\n{args.workers} gunicorn sync workers, {args.users} locust users, "
        f"{args.seconds} s per page, production settings, SQLite demo"
    )
    print(
        f"{'page':<26} {'requests/s':>10} {'p50 ms':>7} {'p95 ms':>7} {'failed':>6} {'vs bare':>8}"
    )
    for label, path, figures in rows:
        print(
            f"{label:<26} {figures['rps']:>10.0f} {figures['p50']:>7.0f} {figures['p95']:>7.0f} "
            f"{figures['failed']:>6} {figures['rps'] / bare:>7.0%}   {path}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8, help="load per page (default 8)")
    parser.add_argument("--users", type=int, default=16, help="concurrent users (default 16)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--cases", type=int, default=600, help="demo year's cases (default 600)")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the demo data folder")
    args = parser.parse_args()
    os.environ["SANYI_DEMO_YEAR_CASES"] = str(args.cases)
    with bench_phone_pages.demo_site("sanyi-bench-public-", keep=args.keep) as env:
        paths = page_paths(env)
        with bench_phone_pages.serving(
            production_env(env), args.port, workers=args.workers
        ) as base:
            run(base, paths, args)


if __name__ == "__main__":
    main()
