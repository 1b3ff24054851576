"""Read replicas against a real PostgreSQL streaming replica (docs/adr/0030-read-replicas.md).

scripts/replica_test.sh starts a throw-away primary and a streaming replica of it on
loopback and runs this module with ``SANYI_REPLICA_CLUSTER=1``; elsewhere it is skipped.
Replication lag is made on purpose: ``pg_wal_replay_pause()`` on the replica holds back
everything written after it, until ``pg_wal_replay_resume()``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import pytest
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sanyi.core import replicas
from sanyi.core.models import JobRun
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.search.models import SearchQueryLog
from tests.replication.urls import save_job

pytestmark = [
    pytest.mark.replica_cluster,
    pytest.mark.django_db(transaction=True, databases=["default", "replica_1"]),
    pytest.mark.urls("tests.replication.urls"),
]
REPLICA = "replica_1"
COOKIE = replicas.POSITION_COOKIE


def _replica_sql(sql: str) -> object:
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def _wait_for_replay(timeout: float = 20.0) -> None:
    """Until the replica has replayed everything the primary has written so far."""
    position = replicas.primary_position()
    assert position is not None
    deadline = time.monotonic() + timeout
    while not replicas.caught_up(REPLICA, position):
        assert time.monotonic() < deadline, f"the replica did not reach {position}"
        time.sleep(0.05)


@contextlib.contextmanager
def replay_paused() -> Iterator[None]:
    """Replication lag on demand: nothing written inside reaches the replica's tables."""
    _wait_for_replay()
    _replica_sql("SELECT pg_wal_replay_pause()")
    deadline = time.monotonic() + 20
    while _replica_sql("SELECT pg_get_wal_replay_pause_state()") != "paused":
        assert time.monotonic() < deadline, "the replica did not pause"
        time.sleep(0.05)
    try:
        yield
    finally:
        _replica_sql("SELECT pg_wal_replay_resume()")


@pytest.fixture(autouse=True)
def _replica_up_to_date():
    assert _replica_sql("SELECT pg_is_in_recovery()") is True, "replica_1 is not a standby"
    _wait_for_replay()


def test_a_plain_read_request_reads_the_replica_and_sees_what_it_has_replayed():
    with replay_paused():
        save_job("written while paused")
        during = Client().get("/probe/read/", {"job": "written while paused"}).json()
    _wait_for_replay()
    after = Client().get("/probe/read/", {"job": "written while paused"}).json()

    assert JobRun.objects.filter(job="written while paused").exists()  # on the primary
    assert during == {"db": REPLICA, "seen": False}
    assert after == {"db": REPLICA, "seen": True}


def test_a_request_that_wrote_reads_its_own_write_from_the_primary():
    with replay_paused():
        answer = Client().get("/probe/write/", {"job": "mine"}).json()

    assert answer == {"before": REPLICA, "db": "default", "seen": True}


def test_the_page_after_a_form_reads_the_primary_until_the_replica_has_caught_up():
    writer, other = Client(), Client()
    with replay_paused():
        posted = writer.post("/probe/write/", {"job": "from the form"})
        next_page = writer.get(posted["Location"])
        someone_else = other.get("/probe/read/", {"job": "from the form"})
    _wait_for_replay()
    later = writer.get("/probe/read/", {"job": "from the form"})

    assert replicas.POSITION_RE.fullmatch(posted.cookies[COOKIE].value)
    assert next_page.json() == {"db": "default", "seen": True}
    assert COOKIE not in next_page.cookies  # the browser keeps it: the replica is behind
    assert someone_else.json() == {"db": REPLICA, "seen": False}
    assert later.json() == {"db": REPLICA, "seen": True}
    assert later.cookies[COOKIE]["max-age"] == 0


def test_a_transaction_in_a_read_request_reads_the_primary():
    with replay_paused():
        save_job("locked and read")
        answer = Client().get("/probe/atomic/", {"job": "locked and read"}).json()

    assert answer == {"db": "default", "seen": True}


def test_a_clerk_who_signs_in_while_replay_is_paused_reaches_the_workbench():
    clerk = org_f.staff(org_f.district(), Role.WINDOW_CLERK)
    client = Client()
    with replay_paused():
        signed_in = client.post(
            "/login/", {"username": clerk.username, "password": "Test-Passw0rd!"}
        )
        client.cookies.pop(COOKIE, None)  # the session is read from the primary regardless
        home = client.get(signed_in["Location"])

    assert signed_in.status_code == 302
    assert home.status_code == 200
    assert clerk.full_name in home.content.decode()


def test_the_dashboard_is_read_from_the_replica():
    supervisor = org_f.staff(org_f.district(), Role.SUPERVISOR)
    client = Client()
    client.force_login(supervisor)
    _wait_for_replay()

    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get("/workbench/analytics/")

    assert page.status_code == 200
    assert any("analytics_dailyfact" in q["sql"] for q in on_replica.captured_queries)


def test_search_reads_the_replica_and_logs_on_the_primary():
    client = Client()
    with replay_paused(), CaptureQueriesContext(connections[REPLICA]) as on_replica:
        page = client.get("/services/search/", {"q": "低保"})

    assert page.status_code == 200
    assert any("search_searchdocument" in q["sql"] for q in on_replica.captured_queries)
    assert SearchQueryLog.objects.filter(text="低保").count() == 1
    assert COOKIE not in page.cookies  # the log is never read back by who searched
