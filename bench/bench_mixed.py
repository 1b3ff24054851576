"""Benchmark: a realistic mixed load on the production server, on one node or two.

    pip install -e '.[bench]'          # locust, from PyPI
    python bench/bench_mixed.py [--sqlite] [--nodes 2] [--users 32] [--seconds 45] [--keep]
    python bench/bench_mixed.py --pgbouncer       # the app through PgBouncer, transaction mode

Builds a throwaway site (a fresh PostgreSQL database, dropped at the end, or ``--sqlite``;
``sanyi migrate``, ``collectstatic``, ``sanyi demo load`` with a small demo year), starts
it as docs/deploy.md runs it (production settings, ``gunicorn sanyi.wsgi:application
--workers 4`` on loopback, ``sanyi db_worker`` beside it, Redis through ``CACHE_URL`` for
the cache, the sessions and the rate limits) and drives it with locust in headless mode
(bench/mixed/locustfile.py) for a fixed time with a fixed number of users:

* first the bare view (``/bench/ok/``, "ok" through the whole middleware stack, added by
  the bench's own URLconf bench/mixed/urls.py, never by the product), as fast as it answers;
* then the mix, in requests: 60% guide pages, search and home; 15% disclosure portal; 10%
  demo residents signing in with the SMS code and applying online with a PDF upload; 10%
  demo approvers at their worklists, opening cases, writing opinions and claiming steps;
  5% window clerks accepting walk-ins. The approvers and clerks sign in when each
  simulated user starts, as a shift of staff does (``--staff-sign-in start``); the window
  measured begins ``--warmup`` seconds after the last of them has signed in.
  ``--staff-sign-in first-use`` signs them in on their first visit instead, inside the
  window (the production password hasher costs about 0.4 s of CPU a sign-in).

It prints requests/s and p50/p95/p99 per kind and per page, the errors (must be 0), the
sessions lost (must be 0) and the submissions lost (must be 0: every case the bench
submitted online or accepted at the counter is looked up in the database at the end, and
no case it does not know of may have appeared). With ``--nodes 2`` it runs the same load
on one node and then on two nodes on two ports sharing the database and Redis, each
simulated user staying on one node, every fourth signing in on the other node first.

With ``--pgbouncer`` (PostgreSQL only; Debian: ``apt-get install pgbouncer``) the bench
starts a PgBouncer of its own in transaction mode on a free loopback port (its ini, user
list, log and pidfile in the run's folder) and points the nodes, the db_worker and the
bench's own look-ups at it with the settings docs/deploy.md gives for PgBouncer
(``DATABASE_DISABLE_SERVER_SIDE_CURSORS=true``, ``DATABASE_CONN_HEALTH_CHECKS=true``, the
default ``DATABASE_CONN_MAX_AGE``); building the site goes straight to PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import pwd
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
LOCUSTFILE = BENCH / "mixed" / "locustfile.py"
# How long the simulated staff may take to sign in at the start (--staff-sign-in start).
SIGN_IN_LIMIT = 180
KINDS = ["browse", "disclosure", "apply", "staff", "counter"]
KIND_TITLES = {
    "browse": "guide, search, home",
    "disclosure": "disclosure portal",
    "apply": "applicant: sign-in, apply, upload",
    "staff": "staff: worklists, case actions",
    "counter": "counter acceptance",
    "probe": "bare view during the mix",
    "bare": "bare view alone",
}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sqlite", action="store_true", help="the embedded database, not PostgreSQL")
    p.add_argument(
        "--pg-url",
        default=os.environ.get("SANYI_BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server where the bench may create and drop a database",
    )
    p.add_argument("--nodes", type=int, choices=(1, 2), default=1, help="2: one node, then two")
    p.add_argument("--users", type=int, default=32, help="simulated users (concurrent clients)")
    p.add_argument("--seconds", type=int, default=45, help="measured time of the mix")
    p.add_argument("--warmup", type=int, default=10, help="seconds of mix before measuring")
    p.add_argument(
        "--staff-sign-in",
        choices=("start", "first-use"),
        default="start",
        help="staff sign in before the measured window (start) or on first use, inside it",
    )
    p.add_argument(
        "--no-browser-agent",
        action="store_true",
        help="send the HTTP client's own User-Agent: guide views are not counted (a script)",
    )
    p.add_argument("--bare-seconds", type=int, default=15, help="measured time of the bare view")
    p.add_argument("--workers", type=int, default=4, help="gunicorn workers per node")
    p.add_argument("--port", type=int, default=8810, help="port of the first node")
    p.add_argument("--redis-url", default="redis://127.0.0.1:6379/12", help="CACHE_URL")
    p.add_argument("--no-redis", action="store_true", help="no CACHE_URL (one node only)")
    p.add_argument("--demo-year-cases", type=int, default=600, help="SANYI_DEMO_YEAR_CASES")
    p.add_argument("--upload-kb", type=int, default=100, help="size of each uploaded PDF")
    p.add_argument("--no-worker", action="store_true", help="do not run sanyi db_worker")
    p.add_argument("--keep", action="store_true", help="keep the database and the folder")
    p.add_argument("--site", help="reuse a site kept by --keep (its folder)")
    p.add_argument(
        "--page-costs", action="store_true", help="also print each page's CPU in one process"
    )
    p.add_argument(
        "--pgbouncer",
        action="store_true",
        help="run the app through a PgBouncer of the bench's own, in transaction mode",
    )
    p.add_argument(
        "--pgbouncer-pool-size",
        type=int,
        default=20,
        help="PgBouncer's default_pool_size: server connections for the site's database",
    )
    args = p.parse_args(argv)
    if args.pgbouncer and args.sqlite:
        p.error("--pgbouncer pools PostgreSQL connections: drop --sqlite")
    if args.nodes > 1 and args.sqlite:
        p.error("--nodes 2 shares a PostgreSQL database between the nodes: drop --sqlite")
    if args.nodes > 1 and args.no_redis:
        p.error("--nodes 2 shares Redis between the nodes: drop --no-redis")
    return args


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- the site ---------------------------------------------------------------------------------


def server_env(args: argparse.Namespace, folder: Path, database_url: str) -> dict[str, str]:
    """The production environment of docs/deploy.md, with loopback values, and nothing of
    the caller's own environment but what a service manager passes."""
    passed = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")
    env = {k: os.environ[k] for k in passed if k in os.environ}
    env.update(
        SANYI_ENV="production",
        DJANGO_SETTINGS_MODULE="mixed.settings",
        PYTHONPATH=os.pathsep.join([str(BENCH), str(ROOT / "src")]),
        SECRET_KEY=secrets.token_urlsafe(50),
        SANYI_AUDIT_KEY=f"bench:{secrets.token_urlsafe(48)}",
        ALLOWED_HOSTS="127.0.0.1",
        SANYI_PUBLIC_URL=f"https://127.0.0.1:{args.port}",
        SANYI_DATA_DIR=str(folder / "data"),
        SANYI_TRUSTED_PROXIES="127.0.0.1",
        SECURE_SSL_REDIRECT="true",
        # No mail server and no SMS gateway here: mail goes to the worker's log, texts to a
        # file the simulated phones read their sign-in codes from.
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        SANYI_SMS_PROVIDER="file",
        SANYI_SMS_FILE=str(folder / "sms.jsonl"),
        SANYI_DEMO="true",
        SANYI_DEMO_YEAR_CASES=str(args.demo_year_cases),
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if not args.no_redis:
        env["CACHE_URL"] = args.redis_url
        env["SANYI_SESSION_STORE"] = "cached_db"
    return env


def sanyi(env: dict[str, str], *args: str, output: Path) -> None:
    """A ``sanyi`` command in the site's environment; its output goes to ``output``, and
    the end of it is shown when the command fails."""
    with open(output, "a") as out:
        done = subprocess.run(
            [sys.executable, "-m", "sanyi", *args], env=env, stdout=out, stderr=out, check=False
        )
    if done.returncode:
        tail = output.read_text(errors="replace").splitlines()[-30:]
        raise SystemExit("\n".join([*tail, f"sanyi {' '.join(args)} failed: see {output}"]))


def pg_execute(pg_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as conn:
        for statement in statements:
            conn.execute(statement)


def build_site(args: argparse.Namespace, folder: Path, prefix: str) -> dict:
    """A new database and folder with the demo district loaded; returns what --site needs."""
    database, database_url = "", ""
    if not args.sqlite:
        database = f"sanyi_mixed_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
        database_url = f"{args.pg_url.rsplit('/', 1)[0]}/{database}"
        pg_execute(args.pg_url, f'CREATE DATABASE "{database}"')
        # Loading only: commits need not wait for the disk. Reset before anything is measured.
        pg_execute(args.pg_url, f'ALTER DATABASE "{database}" SET synchronous_commit = off')
    env = server_env(args, folder, database_url)
    env["MIXED_CACHE_PREFIX"] = prefix
    (folder / "data").mkdir()
    site = {"database": database, "database_url": database_url, "env": env}
    (folder / "site.json").write_text(json.dumps(site, indent=1))
    started = time.perf_counter()
    setup_log = folder / "logs" / "setup.log"
    sanyi(env, "migrate", "--no-input", "-v", "0", output=setup_log)
    sanyi(env, "collectstatic", "--no-input", "-v", "0", output=setup_log)
    log(f"migrated in {time.perf_counter() - started:.0f} s; loading the demo district …")
    sanyi(env, "demo", "load", output=setup_log)
    if database:
        pg_execute(args.pg_url, f'ALTER DATABASE "{database}" RESET synchronous_commit')
    log(f"site built in {time.perf_counter() - started:.0f} s")
    return site


def python_in_site(env: dict[str, str], *args: str) -> str:
    """bench/mixed/data.py in the site's environment (Django stays out of this process)."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "mixed" / "data.py"), *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise SystemExit(f"{done.stderr[-3000:]}\nbench/mixed/data.py {args[0]} failed")
    return done.stdout


# --- the servers ------------------------------------------------------------------------------


def start(command: list[str], env: dict[str, str], log_file: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        env=env,
        stdout=open(log_file, "a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def start_node(env: dict[str, str], port: int, workers: int, logs: Path) -> subprocess.Popen:
    """One app node, as docs/deploy.md starts it."""
    command = [
        sys.executable, "-m", "gunicorn", "sanyi.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
    ]  # fmt: skip
    node = start(command, env, logs / f"gunicorn-{port}.log")
    for _ in range(300):
        try:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/bench/ok/", headers={"X-Forwarded-Proto": "https"}
            )
            urllib.request.urlopen(request, timeout=2)
            return node
        except OSError:
            if node.poll() is not None:
                raise SystemExit(f"the node on port {port} did not start: see {logs}") from None
            time.sleep(0.2)
    stop(node)
    raise SystemExit(f"the node on port {port} did not answer: see {logs}")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- PgBouncer (--pgbouncer) ------------------------------------------------------------------


def pgbouncer_binary() -> str:
    found = shutil.which("pgbouncer")
    if not found and os.access("/usr/sbin/pgbouncer", os.X_OK):
        found = "/usr/sbin/pgbouncer"
    if not found:
        raise SystemExit(
            "--pgbouncer: PgBouncer is not installed (no pgbouncer on PATH nor in /usr/sbin). "
            "Install it with `apt-get install pgbouncer` (Debian, Ubuntu) or run without "
            "--pgbouncer."
        )
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_pgbouncer(args: argparse.Namespace, folder: Path, database_url: str) -> dict:
    """A PgBouncer of this run only, in transaction mode, in front of the site's database:
    its files in ``folder/pgbouncer``, a free loopback port, no Unix socket. Returns the
    process, its settings and the environment that sends the app through it."""
    binary = pgbouncer_binary()
    url = urllib.parse.urlsplit(database_url)
    home = folder / "pgbouncer"
    home.mkdir(exist_ok=True)
    (home / "pgbouncer.pid").unlink(missing_ok=True)
    port = free_port()
    user, max_clients = write_pgbouncer_files(args, home, url, port)
    process = start(pgbouncer_command(binary, folder, home), dict(os.environ), home / "out.log")
    userinfo = url.netloc.rsplit("@", 1)[0] + "@" if "@" in url.netloc else ""
    pooled_url = urllib.parse.urlunsplit(url._replace(netloc=f"{userinfo}127.0.0.1:{port}"))
    try:
        wait_for_pgbouncer(process, pooled_url, home)
    except BaseException:
        stop(process)
        raise
    version = subprocess.run([binary, "-V"], capture_output=True, text=True, check=False)
    return {
        "process": process,
        "port": port,
        "user": user,
        "pool_size": args.pgbouncer_pool_size,
        "max_clients": max_clients,
        "version": version.stdout.split("\n")[0],
        "env": {
            "DATABASE_URL": pooled_url,
            # docs/deploy.md, "PgBouncer (transaction mode)"; DATABASE_CONN_MAX_AGE keeps
            # its production default (60 s): the app keeps its connection to PgBouncer,
            # PgBouncer lends a server connection per transaction.
            "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true",
            "DATABASE_CONN_HEALTH_CHECKS": "true",
        },
    }


def write_pgbouncer_files(
    args: argparse.Namespace, home: Path, url: urllib.parse.SplitResult, port: int
) -> tuple[str, int]:
    """pgbouncer.ini and its user list; returns the user and max_client_conn."""
    database, user = url.path.lstrip("/"), urllib.parse.unquote(url.username or "postgres")
    server = f"host={url.hostname or '127.0.0.1'} port={url.port or 5432} dbname={database}"
    if url.password:
        server += f" user={user} password={urllib.parse.unquote(url.password)}"
    # Clients: every gunicorn worker of every node and the db_worker keep one connection
    # (DATABASE_CONN_MAX_AGE), the bench's own look-ups one each; twice that and more.
    max_clients = max(100, 2 * (args.nodes * args.workers + 4))
    (home / "pgbouncer.ini").write_text(
        f"""[databases]
{database} = {server}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {home / "userlist.txt"}
admin_users = {user}
pool_mode = transaction
default_pool_size = {args.pgbouncer_pool_size}
max_client_conn = {max_clients}
ignore_startup_parameters = extra_float_digits
logfile = {home / "pgbouncer.log"}
pidfile = {home / "pgbouncer.pid"}
"""
    )
    (home / "userlist.txt").write_text(f'"{user}" ""\n')
    return user, max_clients


def pgbouncer_command(binary: str, folder: Path, home: Path) -> list[str]:
    """``pgbouncer -q <ini>``; as root, which PgBouncer refuses, with ``-u`` PostgreSQL's
    system user (or nobody), who is given its folder."""
    command = [binary, "-q", str(home / "pgbouncer.ini")]
    if os.geteuid() != 0:
        return command
    runner = "postgres"
    try:
        account = pwd.getpwnam(runner)
    except KeyError:
        runner = "nobody"
        account = pwd.getpwnam(runner)
    folder.chmod(0o711)
    for path in [home, *home.iterdir()]:
        os.chown(path, account.pw_uid, account.pw_gid)
    return [binary, "-q", "-u", runner, str(home / "pgbouncer.ini")]


def wait_for_pgbouncer(process: subprocess.Popen, pooled_url: str, home: Path) -> None:
    import psycopg

    for _ in range(100):
        if process.poll() is not None:
            log_file = home / "pgbouncer.log"
            tail = (
                log_file.read_text(errors="replace").splitlines()[-10:] if log_file.exists() else []
            )
            raise SystemExit("\n".join([*tail, f"PgBouncer did not start: see {home}"]))
        try:
            with psycopg.connect(pooled_url, connect_timeout=2) as conn:
                conn.execute("SELECT 1")
            return
        except psycopg.OperationalError:
            time.sleep(0.1)
    raise SystemExit(f"PgBouncer did not answer: see {home}")


def pgbouncer_show(bouncer: dict, what: str) -> list[dict]:
    """SHOW STATS / SHOW POOLS on PgBouncer's admin console (the ``pgbouncer`` database;
    autocommit, as it knows no BEGIN); [] when it does not answer."""
    import psycopg

    console = f"host=127.0.0.1 port={bouncer['port']} user={bouncer['user']} dbname=pgbouncer"
    try:
        with psycopg.connect(console, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(f"SHOW {what}")
            header = [column.name for column in cursor.description or []]
            return [dict(zip(header, row, strict=True)) for row in cursor.fetchall()]
    except psycopg.Error:
        return []


def pgbouncer_totals(bouncer: dict) -> dict:
    """The site database's counters: transactions, queries, the clients' wait for a server
    (µs) and the server connections open."""
    database = urllib.parse.urlsplit(bouncer["env"]["DATABASE_URL"]).path.lstrip("/")
    stats = [r for r in pgbouncer_show(bouncer, "STATS") if r.get("database") == database]
    pools = [r for r in pgbouncer_show(bouncer, "POOLS") if r.get("database") == database]
    totals = {
        key: sum(int(r.get(f"total_{key}", 0) or 0) for r in stats)
        for key in ("xact_count", "query_count", "wait_time")
    }
    totals["servers"] = sum(
        int(r.get(key, 0) or 0)
        for r in pools
        for key in ("sv_active", "sv_idle", "sv_used", "sv_tested", "sv_login")
    )
    totals["known"] = bool(stats)
    return totals


def print_pgbouncer(bouncer: dict, before: dict, after: dict) -> None:
    print(
        f"\nthrough {bouncer['version']}: pool_mode = transaction, "
        f"default_pool_size = {bouncer['pool_size']}, max_client_conn = "
        f"{bouncer['max_clients']}, port {bouncer['port']}; the app with "
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS=true, DATABASE_CONN_HEALTH_CHECKS=true"
    )
    if not (before["known"] and after["known"]):
        print("    (no SHOW STATS: the admin console did not answer)")
        return
    xacts = after["xact_count"] - before["xact_count"]
    queries = after["query_count"] - before["query_count"]
    wait_ms = (after["wait_time"] - before["wait_time"]) / 1000
    print(
        f"    during the load: {xacts} transactions, {queries} queries; clients waited "
        f"{wait_ms:.0f} ms in all for a server connection "
        f"({wait_ms / max(xacts, 1):.2f} ms a transaction); server connections open at "
        f"the end: {after['servers']}"
    )


# --- the load ---------------------------------------------------------------------------------


def run_locust(
    plan: dict, classes: list[str], users: int, seconds: int, folder: Path, name: str
) -> dict:
    """One headless locust run; returns what the locustfile recorded."""
    plan = {**plan, "report": str(folder / f"{name}.json")}
    plan_file = folder / f"{name}-plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False))
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "SANYI_"))},
        "PYTHONPATH": str(BENCH),
        "MIXED_PLAN": str(plan_file),
    }
    command = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "--users", str(users), "--spawn-rate", str(users), "--run-time", f"{seconds}s",
        "--stop-timeout", "60", "--only-summary", "--loglevel", "WARNING",
        "--host", plan["nodes"][0], *classes,
    ]  # fmt: skip
    with open(folder / "logs" / f"locust-{name}.log", "w") as out:
        subprocess.run(command, env=env, stdout=out, stderr=subprocess.STDOUT, check=False)
    report_file = Path(plan["report"])
    if not report_file.exists():
        raise SystemExit(f"locust wrote no report: see {folder / 'logs' / f'locust-{name}.log'}")
    return json.loads(report_file.read_text(encoding="utf-8"))


def percentile(sorted_ms: list[float], share: float) -> float:
    """Nearest rank: the smallest value with at least ``share`` of the values at or below it."""
    if not sorted_ms:
        return math.nan
    return sorted_ms[max(math.ceil(share * len(sorted_ms)) - 1, 0)]


def window_stats(report: dict, warmup: float, seconds: float) -> dict:
    """Requests that started in the measured window, per kind and per page: from
    ``warmup`` seconds after the first request, or after the staff's sign-ins when they
    signed in at the start."""
    starts = [row[0] for rows in report["times"].values() for row in rows if row[0]]
    begin = max(min(starts), report.get("shift_started") or 0) + warmup
    end = begin + seconds
    per_name, per_kind = {}, {}
    for name, rows in report["times"].items():
        kept = [row for row in rows if begin <= row[0] < end]
        if not kept:
            continue
        kind = name.split(":", 1)[0]
        per_name[name] = kept
        per_kind.setdefault(kind, []).extend(kept)
    mixed = [row for kind, rows in per_kind.items() if kind in KINDS for row in rows]
    if mixed:
        per_kind["mix"] = mixed
    errors_all = sum(not row[2] for rows in report["times"].values() for row in rows)
    return {
        "seconds": seconds,
        "sign_in_seconds": (report.get("shift_started") or min(starts)) - min(starts),
        "kinds": {kind: summary(rows, seconds) for kind, rows in per_kind.items()},
        "names": {name: summary(rows, seconds) for name, rows in per_name.items()},
        "errors_all": errors_all,
        "requests_all": sum(len(rows) for rows in report["times"].values()),
    }


def summary(rows: list, seconds: float) -> dict:
    ms = sorted(row[1] for row in rows)
    return {
        "requests": len(rows),
        "rps": len(rows) / seconds,
        "p50": percentile(ms, 0.50),
        "p95": percentile(ms, 0.95),
        "p99": percentile(ms, 0.99),
        "errors": sum(not row[2] for row in rows),
    }


def run_configuration(args, site: dict, folder: Path, nodes: int, phase: int) -> dict:
    """The bare view, then the mix, on ``nodes`` nodes."""
    env = site["env"]
    logs = folder / "logs"
    ports = [args.port + i for i in range(nodes)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    servers = []
    try:
        for port in ports:
            servers.append(start_node(env, port, args.workers, logs))
        log(f"{nodes} node(s) up on ports {', '.join(map(str, ports))}; bare view …")
        plan = {
            "fixtures": site["fixtures"],
            "nodes": urls,
            "phase": phase,
            "users": args.users,
            "people_offset": site["people_offset"] + phase * args.users,
            "sms_file": env["SANYI_SMS_FILE"],
            "upload_kb": args.upload_kb,
            "staff_sign_in": args.staff_sign_in,
            "browser_agent": not args.no_browser_agent,
            "warmup": args.warmup,
            "seconds": args.seconds,
        }
        bare = run_locust(
            plan, ["BareUser"], args.users, args.bare_seconds + 3, folder, f"bare-{nodes}"
        )
        log("mix …")
        run_time = args.warmup + args.seconds + 2
        if args.staff_sign_in == "start":
            # The locustfile stops the run itself once the window after the sign-ins is
            # measured; this is only the limit.
            run_time += SIGN_IN_LIMIT
        mix = run_locust(
            plan, ["MixedUser", "ProbeUser"], args.users + 1, run_time, folder, f"mix-{nodes}"
        )
    finally:
        for server in servers:
            stop(server)
    if args.staff_sign_in == "start" and not mix.get("shift_started"):
        raise SystemExit(
            f"the simulated staff had not all signed in after {SIGN_IN_LIMIT} s: "
            f"see {logs / f'locust-mix-{nodes}.log'}"
        )
    return {
        "nodes": nodes,
        "bare": window_stats(bare, 1, args.bare_seconds),
        "mix": window_stats(mix, args.warmup, args.seconds),
        "report": mix,
    }


# --- the report ------------------------------------------------------------------------------


def ms(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.0f}"


def print_configuration(result: dict, args: argparse.Namespace) -> None:
    mix, bare = result["mix"], result["bare"]
    total = mix["kinds"].get("mix", {"requests": 0})["requests"] or 1
    print(f"\n{result['nodes']} node(s), {args.workers} gunicorn workers each, {args.users} users")
    if args.staff_sign_in == "start":
        took = mix["sign_in_seconds"]
        print(f"staff signed in before the window, in {took:.1f} s from the start")
    else:
        print("staff signed in on first use, inside the window")
    print(f"{'kind':<36} {'share':>6} {'req/s':>8} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>7}")
    rows = [(k, mix["kinds"].get(k)) for k in [*KINDS, "mix", "probe"]]
    rows.append(("bare", bare["kinds"].get("bare")))
    for kind, stats in rows:
        if stats is None:
            continue
        share = f"{100 * stats['requests'] / total:.0f}%" if kind in KINDS else ""
        title = "the mix" if kind == "mix" else KIND_TITLES[kind]
        print(
            f"{title:<36} {share:>6} {stats['rps']:>8.1f} {ms(stats['p50']):>6} "
            f"{ms(stats['p95']):>6} {ms(stats['p99']):>6} {stats['errors']:>7}"
        )
    print(f"\n{'page':<64} {'n':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}")
    for name, stats in sorted(mix["names"].items()):
        print(
            f"{name[:64]:<64} {stats['requests']:>6} {stats['rps']:>7.1f} {ms(stats['p50']):>6} "
            f"{ms(stats['p95']):>6} {ms(stats['p99']):>6}"
        )


def print_summary(results: list[dict], check: dict, args: argparse.Namespace) -> int:
    """The verdict lines; returns the exit status (1 when anything was lost or failed)."""
    print(f"\n{'nodes':<6} {'bare req/s':>11} {'mix req/s':>10} {'mix p95':>8} {'errors':>7} "
          f"{'lost sessions':>14}")  # fmt: skip
    bad = 0
    for result in results:
        report = result["report"]
        lost_sessions = sum(report["lost_sessions"].values())
        mix = result["mix"]["kinds"].get("mix", {"rps": 0.0, "p95": math.nan})
        errors = result["mix"]["errors_all"] + result["bare"]["errors_all"]
        bad += errors + lost_sessions
        print(
            f"{result['nodes']:<6} {result['bare']['kinds']['bare']['rps']:>11.1f} "
            f"{mix['rps']:>10.1f} {ms(mix['p95']):>8} {errors:>7} {lost_sessions:>14}"
        )
        for failure, count in sorted(report["failures"].items())[:10]:
            print(f"    {count} × {failure}")
        crossed = report.get("crossed", {})
        if result["nodes"] > 1:
            print(
                f"    sessions signed in on the other node: {crossed.get('sessions', 0)}, "
                f"then {crossed.get('requests', 0)} requests on their own node"
            )
    if len(results) == 2:
        one, two = (r["mix"]["kinds"].get("mix", {"rps": 0.0})["rps"] for r in results)
        print(f"two nodes against one: {two / one:.2f} × the requests/s" if one else "")
    lost = len(check["lost_online"]) + len(check["lost_counter"]) + len(check["unknown"])
    print(
        f"\nsubmissions: {check['online_submitted']} online and {check['counter_accepted']} "
        f"at the counter by the bench; in the database since the start: "
        f"{check['db_online']} online and {check['db_window']} at the window; "
        f"lost {len(check['lost_online']) + len(check['lost_counter'])}, "
        f"unknown to the bench {len(check['unknown'])}, drafts left {check['drafts_left']}"
    )
    for number in (check["lost_online"] + check["lost_counter"] + check["unknown"])[:10]:
        print(f"    {number}")
    target = results[0]["mix"]["kinds"].get("mix", {"rps": 0.0, "p95": math.nan})
    engine = "SQLite" if args.sqlite else "PostgreSQL"
    if args.pgbouncer:
        engine += " through PgBouncer"
    verdict = target["rps"] >= 470 and target["p95"] <= 250
    print(
        f"target (one node, {engine}): ≥ 470 requests/s with p95 ≤ 250 ms: "
        f"{target['rps']:.0f} requests/s, p95 {ms(target['p95'])} ms — "
        f"{'met' if verdict else 'not met'}"
    )
    return 1 if bad or lost else 0


def clean_cache(redis_url: str, prefix: str) -> None:
    """Delete this run's keys: ``prefix:…`` and the page cache's ``prefix-pages:…``."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = [
        *client.scan_iter(f"{prefix}:*", count=1000),
        *client.scan_iter(f"{prefix}-pages:*", count=1000),
    ]
    for start_at in range(0, len(keys), 500):
        client.delete(*keys[start_at : start_at + 500])


def load_site(args: argparse.Namespace, prefix: str) -> tuple[dict, Path]:
    if args.site:
        folder = Path(args.site).resolve()
        site = json.loads((folder / "site.json").read_text())
        log(f"reusing the site in {folder}")
        return site, folder
    folder = Path(tempfile.mkdtemp(prefix="sanyi-mixed-"))
    (folder / "logs").mkdir()
    log(f"building a demo site in {folder} ({'SQLite' if args.sqlite else 'PostgreSQL'}) …")
    try:
        return build_site(args, folder, prefix), folder
    except BaseException:
        if not args.keep:
            remove_site(args, folder)
        raise


def remove_site(args: argparse.Namespace, folder: Path) -> None:
    """Drop the site's database (when it made one) and its folder."""
    site_file = folder / "site.json"
    database = json.loads(site_file.read_text())["database"] if site_file.exists() else ""
    if database:
        pg_execute(args.pg_url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.pgbouncer:
        pgbouncer_binary()  # before building a site it could not serve
    # A cache key prefix of this run only (bench/mixed/settings.py), so Redis may be shared
    # with other runs and nothing another database wrote is ever read.
    prefix = f"sanyi-mixed-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        site, folder = load_site(args, prefix)
    except BaseException:
        if not args.no_redis:
            clean_cache(args.redis_url, prefix)
        raise
    env = site["env"]
    env["MIXED_CACHE_PREFIX"] = prefix
    worker = bouncer = None
    results: list[dict] = []
    try:
        if args.pgbouncer:
            # Everything after the build goes through PgBouncer: the queued work, the
            # nodes, the live worker and the bench's own look-ups.
            bouncer = start_pgbouncer(args, folder, site["database_url"])
            env = {**env, **bouncer["env"]}
            site = {**site, "env": env}
            log(f"PgBouncer up on port {bouncer['port']} (transaction mode)")
        # What the demo queued (about 1,700 notifications) is sent before anything is
        # measured, as a site in service has long sent it; the live worker then only has
        # what the load brings.
        started = time.perf_counter()
        worker_log = folder / "logs" / "worker.log"
        sanyi(env, "db_worker", "--batch", "--no-startup-delay", output=worker_log)
        sanyi(env, "notify", "deliver", output=worker_log)
        log(f"queued work done in {time.perf_counter() - started:.0f} s")
        fixtures_file = folder / "fixtures.json"
        python_in_site(env, "fixtures", str(fixtures_file))
        site["fixtures"] = json.loads(fixtures_file.read_text(encoding="utf-8"))
        site["people_offset"] = random.randrange(len(site["fixtures"]["people"]))
        if not args.no_worker:
            worker = start(
                [sys.executable, "-m", "sanyi", "db_worker"], env, folder / "logs" / "worker.log"
            )
        counted = pgbouncer_totals(bouncer) if bouncer else {}
        for phase, nodes in enumerate([1, 2] if args.nodes == 2 else [1]):
            results.append(run_configuration(args, site, folder, nodes, phase))
            print_configuration(results[-1], args)
        if bouncer:
            print_pgbouncer(bouncer, counted, pgbouncer_totals(bouncer))
        submitted = {
            "online": [n for r in results for n in r["report"]["online"]],
            "counter": [n for r in results for n in r["report"]["counter"]],
        }
        (folder / "submitted.json").write_text(json.dumps(submitted))
        check = json.loads(
            python_in_site(env, "check", str(folder / "submitted.json"), site["fixtures"]["since"])
            .strip()
            .splitlines()[-1]
        )
        verdict = print_summary(results, check, args)
        if args.page_costs:
            print(python_in_site(env, "costs", str(fixtures_file)))
        return verdict
    finally:
        stop(worker)
        if bouncer:
            stop(bouncer["process"])
        if not args.no_redis:
            clean_cache(args.redis_url, prefix)
        if args.keep or args.site:
            log(f"kept: {folder} (run again with --site {folder})")
        else:
            remove_site(args, folder)


if __name__ == "__main__":
    sys.exit(main())
