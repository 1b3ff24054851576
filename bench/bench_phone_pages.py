"""Benchmark: the phone workbench on a slow mobile network, cold and warm.

    .venv/bin/python bench/bench_phone_pages.py [--port 8765] [--keep]

Builds a throwaway demo site in a temporary folder (migrate, collectstatic, ``sanyi demo
load``; SQLite), serves it with gunicorn as scripts/demo.sh does, signs in as the demo grid
officer and opens, in Chromium at a phone viewport, the phone home (/workbench/grid/home/),
今日任务, the first task and a community's notice board (/open/board/<id>/) under Chrome
DevTools' "Slow 4G" preset, set through CDP (Network.emulateNetworkConditions):

    latency 562.5 ms (150 ms × 3.75), download 180,000 B/s (1.6 Mbit/s × 0.9 = 1.44 Mbit/s),
    upload 84,375 B/s (750 kbit/s × 0.9 = 675 kbit/s)

— the numbers of DevTools' front_end/core/sdk/NetworkManager.ts. The throttling is set on the
page and, once it runs, on the service worker too (its network-first page fetches would
otherwise skip it).

Cold: every page in a fresh browser profile (no HTTP cache, no service worker). Warm: the
same pages again in a profile where the service worker is installed and has precached the
shell. Prints DOMContentLoaded and load (ms from navigation start, from the Navigation Timing
entry), the bytes transferred for the page, and the service worker's cache size (the sum of
the cached responses' bodies). One run per page: the figures vary by tens of ms run to run.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("SANYI_CHROMIUM", "/usr/bin/chromium")
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SLOW_4G = {
    "offline": False,
    "latency": 150 * 3.75,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
}
TIMING = """() => { const n = performance.getEntriesByType('navigation')[0];
  return {dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd, bytes: n.transferSize}; }"""
CACHE_BYTES = """async () => { let total = 0, count = 0;
  for (const name of await caches.keys()) {
    if (!name.startsWith('sanyi-')) continue;
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      total += (await (await cache.match(request)).blob()).size; count += 1;
    }
  }
  return {bytes: total, entries: count}; }"""


def sanyi(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "sanyi", *args], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout


def build_site(data_dir: str) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT / "src"),
        "SANYI_DATA_DIR": data_dir,
        "SANYI_DEMO": "true",
        "SANYI_ENV": "development",
        "SECRET_KEY": "benchmark-only-not-a-secret",
    }
    started = time.perf_counter()
    sanyi(env, "migrate", "--no-input", "-v", "0")
    sanyi(env, "collectstatic", "--no-input", "-v", "0")
    sanyi(env, "demo", "load")
    print(f"demo site built in {time.perf_counter() - started:.0f} s")
    return env


def board_unit(env: dict[str, str]) -> str:
    code = (
        "from sanyi.orgs.models import OrgUnit;"
        "print(OrgUnit.objects.filter(kind='community', is_active=True).order_by('path')[0].pk)"
    )
    return sanyi(env, "shell", "-v", "0", "-c", code).strip().splitlines()[-1]


def serve(env: dict[str, str], port: int, *, workers: int = 2) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            sys.executable, "-m", "gunicorn", "sanyi.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
        ],
        env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/login/", timeout=2)
            return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("the server did not start")


@contextlib.contextmanager
def demo_site(prefix: str, *, keep: bool) -> Iterator[dict[str, str]]:
    """A throwaway demo site in a temporary folder (kept with ``keep``): its environment."""
    data_dir = tempfile.mkdtemp(prefix=prefix)
    try:
        yield build_site(data_dir)
    finally:
        if keep:
            print(f"demo data kept in {data_dir}")
        else:
            shutil.rmtree(data_dir, ignore_errors=True)


@contextlib.contextmanager
def serving(env: dict[str, str], port: int, *, workers: int = 2) -> Iterator[str]:
    """gunicorn on loopback for the length of the block: its base URL."""
    server = serve(env, port, workers=workers)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)


def throttle_workers(browser_cdp) -> None:
    """Slow 4G for every running service worker too (through the browser's CDP session)."""
    targets = browser_cdp.send("Target.getTargets")["targetInfos"]
    for target in targets:
        if target["type"] != "service_worker":
            continue
        session = browser_cdp.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": False}
        )["sessionId"]
        for n, (method, params) in enumerate(
            [("Network.enable", {}), ("Network.emulateNetworkConditions", SLOW_4G)], start=1
        ):
            message = json.dumps({"id": n, "method": method, "params": params})
            browser_cdp.send(
                "Target.sendMessageToTarget", {"sessionId": session, "message": message}
            )


def measure(context, browser_cdp, url: str) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    throttle_workers(browser_cdp)
    page.goto(url, wait_until="load", timeout=120_000)
    figures = page.evaluate(TIMING)
    page.close()
    return figures


def sign_in(browser, base: str) -> dict:
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.get_by_label("用户名").fill("grid.grid")
    page.get_by_label("密码").fill("Sanyi-Demo-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login/" not in url)
    page.goto(f"{base}/workbench/grid/")
    link = page.locator("ul.cards a").first
    task = link.get_attribute("href") if link.count() else None
    state = context.storage_state()
    context.close()
    return {"state": state, "task": task}


def run(base: str, board: str) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        browser_cdp = browser.new_browser_cdp_session()
        login = sign_in(browser, base)
        pages = {"手机首页": "/workbench/grid/home/", "今日任务": "/workbench/grid/"}
        if login["task"]:
            pages["一项任务"] = login["task"]
        else:
            print("the demo officer has no open doorstep task: the task page is left out")
        pages["公开栏"] = f"/open/board/{board}/"
        rows = []
        for label, path in pages.items():
            context = browser.new_context(locale="zh-CN", storage_state=login["state"], **PHONE)
            cold = measure(context, browser_cdp, base + path)
            context.close()
            rows.append((label, path, cold))
        context = browser.new_context(locale="zh-CN", storage_state=login["state"], **PHONE)
        first = context.new_page()
        first.goto(base + "/workbench/grid/home/")
        ready = first.evaluate(
            """() => Promise.race([navigator.serviceWorker.ready.then(() => true),
                new Promise(ok => setTimeout(() => ok(false), 30000))])"""
        )
        if not ready:
            raise SystemExit("the service worker did not start (see the server log above)")
        for path in pages.values():  # the worker keeps the grid pages it may keep
            first.goto(base + path)
        cache = first.evaluate(CACHE_BYTES)
        down, up = SLOW_4G["downloadThroughput"], SLOW_4G["uploadThroughput"]
        print(
            f"\nChromium {browser.version}, Slow 4G: latency {SLOW_4G['latency']} ms, "
            f"down {down:.0f} B/s, up {up:.0f} B/s"
        )
        print(f"{'page':<8} {'cold DCL':>9} {'cold load':>10} {'bytes':>8}   "
              f"{'warm DCL':>9} {'warm load':>10} {'bytes':>8}")  # fmt: skip
        for label, path, cold in rows:
            warm = measure(context, browser_cdp, base + path)
            print(
                f"{label:<8} {cold['dcl']:>9.0f} {cold['load']:>10.0f} {cold['bytes']:>8}   "
                f"{warm['dcl']:>9.0f} {warm['load']:>10.0f} {warm['bytes']:>8}"
            )
        print(f"\nservice worker cache: {cache['bytes']} bytes in {cache['entries']} responses")
        context.close()
        browser.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--keep", action="store_true", help="keep the demo data folder")
    args = parser.parse_args()
    with demo_site("sanyi-bench-phone-", keep=args.keep) as env:
        board = board_unit(env)
        with serving(env, args.port) as base:
            run(base, board)


if __name__ == "__main__":
    main()
