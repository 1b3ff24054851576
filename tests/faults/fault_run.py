"""Fault test: case submissions and acceptances over a real server while things break.

Run it through ``scripts/fault_test.sh`` (docs/faults.md). On a fresh PostgreSQL database
it starts gunicorn and the django-tasks worker, then lets concurrent API clients (one
window clerk each) take cases through the two ways in:

* online (代为网上申请): create a draft, upload the material, submit with an
  Idempotency-Key, pre-check, accept;
* window (窗口收件): create, upload, accept.

While they run, the notification worker is killed with SIGKILL while an SMS is being sent
(the gateway has taken the text but not answered yet) and started again, and PostgreSQL is
restarted once. Clients retry connection errors, 5xx and 429 answers with the same request
and the same idempotency keys. Afterwards the script checks from the database and the SMS
file that no case was lost or doubled, numbers have no gaps, every successful submission
is there, every submission retried with its key returns the same case, and every SMS
notification went out exactly once; it prints the figures and exits 1 on any violation.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
RETRYABLE = {429, 500, 502, 503, 504}


def log(msg: str) -> None:
    print(f"[fault {dt.datetime.now(dt.UTC):%H:%M:%S}] {msg}", flush=True)


# --- processes ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sanyi(env: dict, *args: str, timeout: int = 600) -> str:
    result = subprocess.run(
        [str(BIN / "sanyi"), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode != 0:
        raise RuntimeError(f"sanyi {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


class Worker:
    """The notification worker (``sanyi db_worker``), restartable."""

    def __init__(self, env: dict, logdir: Path):
        self.env, self.logdir, self.proc, self.starts = env, logdir, None, 0
        self.lock, self.killing = threading.Lock(), False

    def start(self) -> None:
        self.starts += 1
        out = open(self.logdir / f"worker{self.starts}.log", "w")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [str(BIN / "sanyi"), "db_worker", "--no-startup-delay", "--interval", "0.2"],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )

    def kill9(self) -> None:
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self) -> None:
        if self.alive():
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# --- HTTP client --------------------------------------------------------------------------


class Api:
    """One clerk's client. ``call`` retries connection errors, 5xx and 429 with the very
    same request (and so the same Idempotency-Key)."""

    def __init__(self, port: int, token: str, stats: collections.Counter, lock, deadline):
        self.port, self.token, self.stats, self.lock, self.deadline = (
            port,
            token,
            stats,
            lock,
            deadline,
        )

    def count(self, key: str, n: int = 1) -> None:
        with self.lock:
            self.stats[key] += n

    def once(self, method, path, *, body=None, ctype=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            h = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
            if ctype:
                h["Content-Type"] = ctype
            h.update(headers or {})
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            return resp.status, data
        finally:
            conn.close()

    def call(self, method, path, *, json_body=None, body=None, ctype=None, headers=None):
        """(status, parsed body, errors seen before the final answer)."""
        if json_body is not None:
            body, ctype = json.dumps(json_body).encode(), "application/json"
        errors, delay = 0, 0.2
        while True:
            try:
                status, data = self.once(method, path, body=body, ctype=ctype, headers=headers)
            except (OSError, http.client.HTTPException) as exc:
                status, data = None, str(exc).encode()
            if status is not None and status not in RETRYABLE:
                try:
                    parsed = json.loads(data) if data else None
                except ValueError:
                    parsed = data
                return status, parsed, errors
            errors += 1
            self.count("errors seen")
            self.count(f"errors seen: {status or 'connection'}")
            if time.monotonic() > self.deadline:
                return status, data, errors
            self.count("retries")
            time.sleep(delay)
            delay = min(delay * 2, 3)


def multipart(field: str, filename: str, content: bytes, ctype: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: {ctype}\r\n\r\n'
        ).encode()
        + content
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


class Journey:
    """One case of one client, from creation to acceptance."""

    def __init__(self, api: Api, world: dict, ref: str, applicant: int, online: bool, pdf):
        self.api, self.world, self.ref, self.applicant, self.online, self.pdf = (
            api,
            world,
            ref,
            applicant,
            online,
            pdf,
        )
        self.case_id = None
        self.submit_key = f"submit-{ref}"
        self.start_key = f"start-{ref}"
        self.create_body = None
        self.submit_answer = None  # "ok" or "error"
        self.submit_errors = 0
        self.done = False
        self.failure = ""

    def step(self, method, path, what, *, expect_status=None, **kw):
        status, data, errors = self.api.call(method, path, **kw)
        if status in (200, 201):
            return data, errors
        if expect_status is not None and status in (400, 409) and self.case_id:
            # A retry of a step whose first attempt committed before the error answer:
            # the case is already past it. Look, do not do it twice.
            st, case, _ = self.api.call("GET", f"/api/v1/cases/{self.case_id}/")
            if st == 200 and case["status"] in expect_status:
                self.api.count("steps found already done on retry")
                return case, errors
        raise RuntimeError(f"{what}: HTTP {status} {str(data)[:300]}")

    def run(self) -> None:
        try:
            self._run()
            self.done = True
        except Exception as exc:  # reported in the figures
            self.failure = f"{self.ref}: {exc}"

    def _run(self) -> None:
        w = self.world
        channel = "online" if self.online else "window"
        self.create_body = {
            "applicant": self.applicant,
            "item": w["item_code"],
            "channel": channel,
            "form_data": {"fault_ref": self.ref},
        }
        case, _ = self.step(
            "POST",
            "/api/v1/cases/",
            "create",
            json_body=self.create_body,
            headers={"Idempotency-Key": self.start_key},
        )
        self.case_id = case["id"]
        for m in case["materials"]:
            if m["status"] == "pending" and m["required"] and not m["has_file"]:
                body, ctype = multipart("file", "申请书.pdf", self.pdf, "application/pdf")
                self.step(
                    "POST",
                    f"/api/v1/cases/{self.case_id}/materials/{m['id']}/file/",
                    "upload",
                    body=body,
                    ctype=ctype,
                )
        checked = [
            {"material": m["id"], "status": "ok"}
            for m in case["materials"]
            if m["status"] == "pending" and m["required"]
        ]
        if self.online:
            status, data, errors = self.api.call(
                "POST",
                f"/api/v1/cases/{self.case_id}/submit/",
                headers={"Idempotency-Key": self.submit_key},
            )
            self.submit_errors = errors
            self.api.count("submissions")
            if status != 200:
                self.submit_answer = "error"
                raise RuntimeError(f"submit: HTTP {status} {str(data)[:300]}")
            self.submit_answer = "ok"
            self.step(
                "POST",
                f"/api/v1/cases/{self.case_id}/precheck/",
                "precheck",
                json_body={"results": checked},
                expect_status={"awaiting_acceptance", "in_progress"},
            )
            checked = []
        self.step(
            "POST",
            f"/api/v1/cases/{self.case_id}/acceptance/",
            "accept",
            json_body={"window": w["window"], "decision": "accept", "materials": checked},
            expect_status={"in_progress"},
        )
        self.api.count("acceptances")


# --- set-up and checks inside the driver (Django) -----------------------------------------


def build_world(clients: int) -> dict:
    """Item, centre and window, ten clerks with their tokens, one applicant per client. No
    e-mail addresses: every external notification is an SMS, counted in the SMS file."""
    from sanyi.api.services import api_token_issue
    from sanyi.applicants.models import Applicant
    from sanyi.calendar.tests.factories import official_calendar
    from sanyi.cases.tests import factories as f
    from sanyi.orgs.models import Role, User
    from sanyi.orgs.tests import factories as org_f

    official_calendar()
    w = f.world()
    # Ten clerks at the window, each client using one of them (a clerk serves several
    # callers at once, as a counter's scanning stations do).
    clerks = [
        org_f.staff(w["district"], Role.WINDOW_CLERK, window=w["window"])
        for _ in range(min(clients, 10))
    ]
    people = [f.applicant(email="") for _ in range(clients)]
    User.objects.update(email="")
    Applicant.objects.update(email="")
    return {
        "item_code": w["item"].implementation_code,
        "item": w["item"].pk,
        "window": w["window"].pk,
        "tokens": [api_token_issue(user=c).key for c in clerks],
        "applicants": [p.pk for p in people],
    }


def _ref(entry: dict) -> str:
    # --gateway-without-reference makes every attempt's reference unique ("ref/ns").
    return entry["reference"].split("/")[0]


def check(world: dict, journeys: list[Journey], api: Api, sms_file: Path) -> tuple[dict, list]:
    from django.db.models import Count

    from sanyi.cases.models import Case, CaseNumberCounter
    from sanyi.notify.channels import FileSmsProvider
    from sanyi.notify.models import Channel, DeliveryStatus, OutboxMessage

    violations: list[str] = []
    cases = Case.objects.filter(implementation_item_id=world["item"])
    by_ref = collections.defaultdict(list)
    for c in cases:
        by_ref[(c.form_data or {}).get("fault_ref")].append(c)
    duplicates = sum(len(v) - 1 for v in by_ref.values() if len(v) > 1)
    if duplicates:
        violations.append(
            f"{duplicates} duplicate cases: "
            + str({k: [c.number for c in v] for k, v in by_ref.items() if len(v) > 1})
        )
    lost = [j.ref for j in journeys if j.case_id and not cases.filter(pk=j.case_id).exists()]
    if lost:
        violations.append(f"cases answered as created but missing: {lost}")
    unfinished = [j.failure for j in journeys if not j.done]
    if unfinished:
        violations.append(f"{len(unfinished)} journeys did not finish: {unfinished[:5]}")
    not_accepted = [c.number for c in cases if c.status != "in_progress"]
    if not_accepted:
        violations.append(f"cases not accepted: {not_accepted[:10]}")

    # Numbers: per item and day 1..N without gaps, and the counter agrees.
    gaps = 0
    per_day = collections.defaultdict(list)
    for number in cases.values_list("number", flat=True):
        code, day, seq = number.rsplit("-", 2)
        per_day[(code, day)].append(int(seq))
    for (code, day), seqs in per_day.items():
        expected = list(range(1, len(seqs) + 1))
        if sorted(seqs) != expected:
            gaps += len(set(range(1, max(seqs) + 1)) - set(seqs))
            violations.append(f"numbers of {code} on {day} are not 1..{len(seqs)}")
        counter = CaseNumberCounter.objects.get(
            implementation_code=code, day=dt.datetime.strptime(day, "%Y%m%d").date()
        )
        if counter.last != len(seqs):
            violations.append(f"counter of {code} on {day} is {counter.last}, {len(seqs)} cases")

    # Submissions: every success is there; every one (success or error) retried with the
    # same key returns the same case and adds none.
    submitted = [j for j in journeys if j.online and j.submit_answer]
    before = cases.count()
    retry_mismatch = []
    for j in submitted:
        if j.submit_answer == "ok":
            c = cases.filter(pk=j.case_id).first()
            if c is None or c.idempotency_key != j.submit_key:
                violations.append(f"successful submission {j.ref} not recorded with its key")
        status, data, _ = api.call(
            "POST",
            f"/api/v1/cases/{j.case_id}/submit/",
            headers={"Idempotency-Key": j.submit_key},
        )
        if status != 200 or data.get("id") != j.case_id:
            retry_mismatch.append((j.ref, status))
    if retry_mismatch:
        violations.append(
            f"submissions retried with their key gave another answer: {retry_mismatch}"
        )
    # Creates: every one, retried with its key, answers with the case it made.
    create_mismatch = []
    for j in journeys:
        if j.create_body is None:
            continue
        status, data, _ = api.call(
            "POST",
            "/api/v1/cases/",
            json_body=j.create_body,
            headers={"Idempotency-Key": j.start_key},
        )
        if status != 201 or data.get("id") != j.case_id:
            create_mismatch.append((j.ref, status))
    if create_mismatch:
        violations.append(f"creates retried with their key gave another answer: {create_mismatch}")
    if cases.count() != before:
        violations.append("retrying submissions or creates made new cases")

    # Notifications: every SMS row of these cases sent, each reference delivered once.
    ids = [str(pk) for pk in cases.values_list("pk", flat=True)]
    rows = OutboxMessage.objects.filter(
        message__object_type="cases.case", message__object_id__in=ids
    )
    sms = rows.filter(channel=Channel.SMS)
    unsent = list(rows.exclude(status=DeliveryStatus.SENT).values_list("pk", "status"))
    if unsent:
        violations.append(f"{len(unsent)} deliveries not sent: {unsent[:10]}")
    lines = FileSmsProvider.read(sms_file)
    delivered = collections.Counter(_ref(e) for e in lines if not e.get("resend"))
    resends = sum(1 for e in lines if e.get("resend"))
    expected_refs = {f"sanyi-outbox-{pk}" for pk in sms.values_list("pk", flat=True)}
    twice = {r: n for r, n in delivered.items() if n > 1}
    if twice:
        violations.append(f"SMS delivered more than once: {twice}")
    missing = expected_refs - set(delivered)
    if missing:
        violations.append(f"{len(missing)} SMS never delivered: {sorted(missing)[:10]}")
    extra = set(delivered) - expected_refs
    if extra:
        violations.append(f"SMS delivered for no delivery row: {sorted(extra)[:10]}")
    ids_in_file = {_ref(e): e["message_id"] for e in reversed(lines) if not e.get("resend")}
    wrong_id = [
        pk
        for pk, pid in sms.values_list("pk", "provider_message_id")
        if ids_in_file.get(f"sanyi-outbox-{pk}") != pid
    ]
    if wrong_id:
        violations.append(f"{len(wrong_id)} rows record another provider id than the gateway's")
    # Each accepted case told its applicant once per event.
    per_event = sms.values("message__object_id", "event").annotate(n=Count("pk")).filter(n__gt=1)
    if per_event.exists():
        violations.append(f"events with more than one SMS: {list(per_event)[:5]}")
    online_cases = sum(1 for j in journeys if j.online)
    expected_sms = 2 * online_cases + (len(journeys) - online_cases)
    if sms.count() != expected_sms:
        violations.append(f"{sms.count()} SMS rows, expected {expected_sms}")
    figures = {
        "cases": cases.count(),
        "duplicates": duplicates,
        "gaps": gaps,
        "submissions retried with their key afterwards": len(submitted),
        "creates retried with their key afterwards": sum(1 for j in journeys if j.create_body),
        "notifications delivered": sum(delivered.values()),
        "notifications delivered twice": len(twice),
        "resends dropped by the gateway reference": resends,
        "sms rows": sms.count(),
    }
    return figures, violations


# --- the run ------------------------------------------------------------------------------


def pg_restart(version: str) -> float:
    t0 = time.monotonic()
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    return time.monotonic() - t0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--pg-url",
        default=os.environ.get(
            "SANYI_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
        ),
    )
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--rounds", type=int, default=2, help="cases per client")
    p.add_argument("--no-pg-restart", action="store_true", help="skip the PostgreSQL restart")
    p.add_argument("--pg-version", default="", help="cluster version (default: /etc/postgresql)")
    p.add_argument("--sms-delay-ms", type=int, default=150)
    p.add_argument("--keep-db", action="store_true")
    p.add_argument(
        "--gateway-without-reference",
        action="store_true",
        help="the SMS gateway ignores delivery references: shows the check catching the "
        "duplicate a worker death then causes (expected to FAIL)",
    )
    args = p.parse_args(argv)

    import psycopg

    pg_version = ""
    if not args.no_pg_restart:
        versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
        pg_version = args.pg_version or (versions[-1] if versions else "")
        if not pg_version:
            log("no local PostgreSQL cluster found: use --no-pg-restart or --pg-version")
            return 2

    data = Path(tempfile.mkdtemp(prefix="sanyi-fault-"))
    db = f"sanyi_fault_{time.strftime('%Y%m%d%H%M%S')}_{os.getpid()}"
    base = args.pg_url.rsplit("/", 1)[0]
    sms_file = data / "sms.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("DATABASE_TEST_NAME", None)
    env.update(
        SANYI_ENV="production",
        DJANGO_SETTINGS_MODULE="sanyi.settings",
        SECRET_KEY=uuid.uuid4().hex * 2,
        SANYI_AUDIT_KEY=f"fault:{uuid.uuid4().hex}{uuid.uuid4().hex}",
        ALLOWED_HOSTS="127.0.0.1",
        SANYI_DATA_DIR=str(data),
        DATABASE_URL=f"{base}/{db}",
        SANYI_TASKS_BACKEND="database",
        SANYI_SMS_PROVIDER="tests.faults.slow_sms.SlowFileSmsProvider",
        SANYI_SMS_FILE=str(sms_file),
        FAULT_SMS_DELAY_MS=str(args.sms_delay_ms),
        FAULT_SMS_IGNORE_REFERENCE="1" if args.gateway_without_reference else "0",
        SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES="1",
        SANYI_NOTIFY_BACKOFF_SECONDS="2",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src"), env.get("PYTHONPATH", "")]),
    )
    os.environ.update(env)
    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    with psycopg.connect(args.pg_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{db}"')
    log(f"database {db}, data in {data}")
    server = worker = None
    stop_supervisor = threading.Event()
    procs_log = data / "logs"
    procs_log.mkdir()
    try:
        t0 = time.monotonic()
        sanyi(env, "migrate", "--no-input", "-v", "0")
        log(f"migrated in {time.monotonic() - t0:.0f}s")
        sanyi(env, "collectstatic", "--no-input", "-v", "0")  # the 500 page needs it
        import django

        django.setup()
        from django.db import connections

        world = build_world(args.clients)
        connections.close_all()
        log(f"migrated and loaded in {time.monotonic() - t0:.0f}s")

        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "sanyi.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "3",
                "--threads",
                "4",
                "--timeout",
                "120",
            ],
            env=env,
            stdout=open(procs_log / "gunicorn.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        worker = Worker(env, procs_log)
        worker.start()
        for _ in range(150):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/")
                break
            except OSError:
                time.sleep(0.2)

        from sanyi.cases.tests.factories import tiny_pdf

        pdf = tiny_pdf()
        stats: collections.Counter = collections.Counter()
        lock = threading.Lock()
        deadline = time.monotonic() + 300
        journeys_by_client = []
        for i in range(args.clients):
            token = world["tokens"][i % len(world["tokens"])]
            api = Api(port, token, stats, lock, deadline)
            journeys_by_client.append(
                [
                    Journey(api, world, f"c{i}-r{r}", world["applicants"][i], (i + r) % 2 == 0, pdf)
                    for r in range(args.rounds)
                ]
            )
        journeys = [j for js in journeys_by_client for j in js]
        total = len(journeys)

        def client(js):
            for j in js:
                j.run()

        events: dict[str, object] = {}
        fault_errors: list[str] = []

        from sanyi.notify.channels import FileSmsProvider

        def faults():
            pg = psycopg.connect(f"{base}/{db}", autocommit=True)
            # (a) kill the worker while an SMS is in the gateway's hands: the gateway took
            # the text, the worker has not recorded it. If the row was finished just before
            # the kill landed, start the worker again and try once more (up to 5 kills).
            kills = 0
            while time.monotonic() < deadline and kills < 5:
                done = sum(j.done for j in journeys)
                sending = {
                    pk
                    for (pk,) in pg.execute(
                        "SELECT id FROM notify_outboxmessage WHERE status='sending'"
                    ).fetchall()
                }
                in_file = {_ref(e) for e in FileSmsProvider.read(sms_file)}
                taken = {pk for pk in sending if f"sanyi-outbox-{pk}" in in_file}
                if taken and done >= total * 0.2:
                    with worker.lock:
                        worker.killing = True
                        worker.kill9()
                    kills += 1
                    left = pg.execute(
                        "SELECT count(*) FROM notify_outboxmessage "
                        "WHERE status='sending' AND id = ANY(%s)",
                        [list(taken)],
                    ).fetchone()[0]
                    time.sleep(1)
                    with worker.lock:
                        worker.start()
                        worker.killing = False
                    if left:
                        events["worker SIGKILLs"] = kills
                        events["rows left sending, text already at the gateway"] = left
                        events["worker killed after cases"] = done
                        break
                time.sleep(0.02)
            pg.close()
            # (b) restart PostgreSQL once, half-way.
            if pg_version:
                while time.monotonic() < deadline and sum(j.done for j in journeys) < total * 0.5:
                    time.sleep(0.05)
                events["PostgreSQL restarted after cases"] = sum(j.done for j in journeys)
                try:
                    events["PostgreSQL restart seconds"] = round(pg_restart(pg_version), 1)
                except (OSError, subprocess.SubprocessError) as exc:
                    fault_errors.append(f"PostgreSQL restart failed: {exc}")

        def supervise():
            # What systemd's Restart=always does for the worker in production (deploy.md):
            # a worker that exits on its own (it does when PostgreSQL goes away under a
            # running task) is started again after a second.
            while not stop_supervisor.wait(1):
                with worker.lock:
                    if not worker.alive() and not worker.killing:
                        events["worker exits on its own (restarted)"] = (
                            int(events.get("worker exits on its own (restarted)", 0)) + 1
                        )
                        worker.start()

        supervisor = threading.Thread(target=supervise, daemon=True)
        supervisor.start()
        threads = [threading.Thread(target=client, args=(js,)) for js in journeys_by_client]
        fault_thread = threading.Thread(target=faults)
        t1 = time.monotonic()
        for t in threads:
            t.start()
        fault_thread.start()
        for t in threads:
            t.join()
        fault_thread.join()
        log(f"clients done in {time.monotonic() - t1:.0f}s: {dict(stats)}")

        # Let the (restarted) worker and the sweeper finish: rows the kill left "sending"
        # come back after SANYI_NOTIFY_SENDING_TIMEOUT_MINUTES (1 here).
        from sanyi.notify.models import DeliveryStatus, OutboxMessage

        t2 = time.monotonic()
        while time.monotonic() - t2 < 180:
            sanyi(env, "notify", "deliver")  # the sweeper, as cron runs it every minute
            open_rows = OutboxMessage.objects.exclude(status=DeliveryStatus.SENT).count()
            connections.close_all()
            if open_rows == 0:
                break
            time.sleep(5)
        log(f"notifications settled in {time.monotonic() - t2:.0f}s")
        check_api = Api(
            port, world["tokens"][0], collections.Counter(), lock, time.monotonic() + 60
        )
        figures, violations = check(world, journeys, check_api, sms_file)
        violations += fault_errors
        if "worker SIGKILLs" not in events:
            violations.append("the worker was never killed with a text at the gateway")
        if pg_version and "PostgreSQL restart seconds" not in events:
            violations.append("PostgreSQL was not restarted")
        connections.close_all()
        stop_supervisor.set()
    finally:
        stop_supervisor.set()
        if worker:
            with worker.lock:
                worker.stop()
        if server:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep_db:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: S110 - Django may not be set up yet
                pass
            with psycopg.connect(args.pg_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')

    submissions = stats["submissions"]
    submit_errors = sum(1 for j in journeys if j.submit_errors)
    print()
    print("Fault test figures")
    rows = {
        "clients": args.clients,
        "cases per client": args.rounds,
        "submissions (online, with Idempotency-Key)": submissions,
        "submissions that saw an error before their answer": submit_errors,
        "acceptances": stats["acceptances"],
        "requests retried": stats["retries"],
        "errors seen": stats["errors seen"],
        **{k: v for k, v in sorted(stats.items()) if k.startswith("errors seen: ")},
        "steps found already done on retry": stats["steps found already done on retry"],
        **events,
        **figures,
    }
    for k, v in rows.items():
        print(f"  {k:<52} {v}")
    if violations:
        print("\nVIOLATIONS:")
        for v in violations:
            print(f"  - {v}")
        print(f"(logs kept in {procs_log})")
        return 1
    shutil.rmtree(data, ignore_errors=True)
    print("\nOK: no case lost or doubled, no gaps, every notification delivered exactly once")
    return 0


if __name__ == "__main__":
    sys.exit(main())
