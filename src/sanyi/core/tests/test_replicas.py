"""Where reads go when read replicas are configured (docs/adr/0030-read-replicas.md).

The ``read_replica`` fixture makes ``replica_1`` the test database itself, so these tests
see the router's choice in ``queryset.db`` and ``obj._state.db``. tests/replication runs
the same rules against a real streaming replica with replication paused.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils import timezone
from rest_framework.authtoken.models import Token

from sanyi.applicants.models import Applicant
from sanyi.core import replicas
from sanyi.core.middleware import ReadReplicaMiddleware
from sanyi.core.models import JobRun
from sanyi.core.replicas import (
    POSITION_COOKIE,
    ReplicaRouter,
    blind_writes,
    read_scope,
    replica_reads,
)
from sanyi.orgs.models import Role, User
from sanyi.orgs.tests import factories as org_f

pytestmark = pytest.mark.django_db
POSITION = "0/3000148"


def _job_run(job: str = "test.job") -> JobRun:
    now = timezone.now()
    return JobRun.objects.create(
        job=job, slot=now, started_at=now, lease_until=now + dt.timedelta(minutes=5)
    )


def _serve(view, method: str = "get", cookie: str | None = None, **extra) -> HttpResponse:
    request = getattr(RequestFactory(), method)("/", **extra)
    if cookie is not None:
        request.COOKIES[POSITION_COOKIE] = cookie
    return ReadReplicaMiddleware(view)(request)


def _read_db(request) -> HttpResponse:
    return HttpResponse(JobRun.objects.all().db)


def _where(method: str = "get", cookie: str | None = None, **extra) -> str:
    """The database a plain read of a request with these properties goes to."""
    return _serve(_read_db, method, cookie, **extra).content.decode()


def _refuse() -> None:
    raise OperationalError("connection refused")


def test_without_replicas_the_router_leaves_every_read_to_the_primary(settings):
    settings.SANYI_READ_REPLICAS = ()

    with read_scope(replicas_allowed=True):
        where = JobRun.objects.all().db

    assert ReplicaRouter().db_for_read(JobRun) is None
    assert where == "default"


def test_get_and_head_requests_read_from_the_replica(read_replica):
    assert _where("get") == "replica_1"
    assert _where("head") == "replica_1"


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete", "options"])
def test_other_methods_read_from_the_primary(read_replica, method):
    assert _where(method) == "default"


def test_a_request_with_an_authorization_header_reads_from_the_primary(read_replica):
    # API clients rarely keep the position cookie between a write and the next read.
    assert _where("get", HTTP_AUTHORIZATION="Token 0123456789abcdef") == "default"


def test_outside_a_request_every_read_goes_to_the_primary(read_replica):
    # Jobs, the worker and commands: no read scope, so no replica.
    assert JobRun.objects.all().db == "default"


def test_after_a_write_the_rest_of_the_request_reads_from_the_primary(read_replica):
    seen = {}

    def view(request):
        seen["before"] = JobRun.objects.all().db
        _job_run("written")
        qs = JobRun.objects.filter(job="written")
        seen["after"], seen["found"] = qs.db, qs.exists()
        return HttpResponse()

    _serve(view)

    assert seen == {"before": "replica_1", "after": "default", "found": True}


def test_reads_inside_a_transaction_go_to_the_primary(read_replica):
    seen = {}

    def view(request):
        with transaction.atomic():
            seen["inside"] = JobRun.objects.all().db
        seen["after"] = JobRun.objects.all().db
        return HttpResponse()

    _serve(view)

    assert seen == {"inside": "default", "after": "replica_1"}


def test_select_for_update_locks_on_the_primary_and_keeps_the_request_there(read_replica):
    run = _job_run()
    seen = {}

    def view(request):
        with transaction.atomic():
            seen["locked"] = JobRun.objects.select_for_update().get(pk=run.pk)._state.db
        seen["after"] = JobRun.objects.all().db
        return HttpResponse()

    _serve(view)

    assert seen == {"locked": "default", "after": "default"}


def test_a_row_read_from_the_replica_is_saved_on_the_primary(read_replica):
    run = _job_run()
    seen = {}

    def view(request):
        copy = JobRun.objects.get(pk=run.pk)
        seen["read"] = copy._state.db
        copy.result = "已重试"
        copy.save(update_fields=["result"])
        seen["saved"] = copy._state.db
        return HttpResponse()

    _serve(view)
    run.refresh_from_db()

    assert seen == {"read": "replica_1", "saved": "default"}
    assert run.result == "已重试"


def test_who_is_signed_in_is_always_read_from_the_primary(read_replica):
    with read_scope(replicas_allowed=True):
        where = {
            model.__name__: model.objects.all().db
            for model in (User, Session, Applicant, Token, JobRun)
        }

    assert where == {
        "User": "default",
        "Session": "default",
        "Applicant": "default",
        "Token": "default",
        "JobRun": "replica_1",
    }


def test_every_primary_only_entry_names_an_installed_app_or_model(settings):
    from django.apps import apps

    for entry in settings.SANYI_PRIMARY_ONLY:
        if "." in entry:
            apps.get_model(entry)  # raises LookupError for a typo
        else:
            assert list(apps.get_app_config(entry).get_models()), entry


def test_writing_a_session_or_an_account_keeps_other_reads_on_the_replica(read_replica):
    clerk = org_f.staff(org_f.district(), Role.WINDOW_CLERK)
    seen = {}

    def view(request):
        request.session = SessionStore()
        request.session["seen"] = True
        request.session.save()
        clerk.last_login = timezone.now()
        clerk.save(update_fields=["last_login"])
        seen["after"] = JobRun.objects.all().db
        return HttpResponse()

    response = _serve(view)

    assert seen == {"after": "replica_1"}
    assert POSITION_COOKIE not in response.cookies


def test_blind_writes_keep_the_request_on_the_replica(read_replica, monkeypatch):
    monkeypatch.setattr(replicas, "primary_position", lambda: POSITION)
    seen = {}

    def view(request):
        with blind_writes():
            _job_run("counted")
        seen["after"] = JobRun.objects.all().db
        return HttpResponse()

    response = _serve(view)

    assert seen == {"after": "replica_1"}
    assert POSITION_COOKIE not in response.cookies


def test_a_report_command_reads_from_a_replica_until_it_writes(read_replica):
    with replica_reads():
        before = JobRun.objects.all().db
        _job_run()
        after = JobRun.objects.all().db

    assert (before, after) == ("replica_1", "default")


def test_migrations_run_on_the_primary_only(read_replica):
    assert router.allow_migrate("default", "core", model_name="jobrun") is True
    assert router.allow_migrate("replica_1", "core", model_name="jobrun") is False


def test_rows_read_from_the_replica_may_be_related_to_rows_of_the_primary(read_replica):
    unit, parent = org_f.district(), org_f.district()
    unit._state.db = "replica_1"

    assert router.allow_relation(unit, parent) is True


# The position cookie: the page after a form reads what the form saved ------------------


def _writing_view(request):
    _job_run("from a form")
    return HttpResponse()


def test_a_request_that_wrote_hands_the_client_the_primarys_position(read_replica, monkeypatch):
    monkeypatch.setattr(replicas, "primary_position", lambda: POSITION)

    response = _serve(_writing_view, "post")

    cookie = response.cookies[POSITION_COOKIE]
    assert cookie.value == POSITION
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


def test_a_request_that_only_read_sets_no_position(read_replica, monkeypatch):
    monkeypatch.setattr(replicas, "primary_position", lambda: POSITION)

    response = _serve(lambda request: HttpResponse(list(JobRun.objects.all())))

    assert POSITION_COOKIE not in response.cookies


def test_while_the_replica_is_behind_the_client_reads_from_the_primary(read_replica, monkeypatch):
    asked = []
    monkeypatch.setattr(replicas, "caught_up", lambda alias, pos: asked.append(pos) or False)

    where = _where("get", cookie=POSITION)
    response = _serve(lambda request: HttpResponse(list(JobRun.objects.all())), cookie=POSITION)

    assert where == "default"
    assert asked[0] == POSITION
    assert POSITION_COOKIE not in response.cookies  # kept by the browser: not yet reached


def test_once_the_replica_has_the_position_it_serves_and_the_cookie_goes(read_replica, monkeypatch):
    monkeypatch.setattr(replicas, "caught_up", lambda alias, pos: True)

    where = _where("get", cookie=POSITION)
    response = _serve(lambda request: HttpResponse(list(JobRun.objects.all())), cookie=POSITION)

    assert where == "replica_1"
    assert response.cookies[POSITION_COOKIE]["max-age"] == 0


def test_a_malformed_position_is_ignored_and_removed(read_replica, monkeypatch):
    def never(alias, pos):
        raise AssertionError("a malformed position is never sent to the database")

    monkeypatch.setattr(replicas, "caught_up", never)

    response = _serve(_read_db, cookie="0/1'; --")

    assert response.content == b"replica_1"
    assert response.cookies[POSITION_COOKIE]["max-age"] == 0


# Several replicas, and one that is down --------------------------------------------------


@pytest.fixture
def second_replica(read_replica, settings):
    settings.SANYI_READ_REPLICAS = ("replica_1", "replica_2")
    connections["replica_2"] = connections["default"]
    yield "replica_2"
    del connections["replica_2"]


def test_each_request_reads_from_one_replica_and_requests_spread_over_them(
    second_replica, monkeypatch
):
    monkeypatch.setattr(replicas, "random", random.Random(16))

    def view(request):
        where = {JobRun.objects.all().db for _ in range(5)}
        return HttpResponse(",".join(sorted(where)))

    per_request = [_serve(view).content.decode() for _ in range(12)]

    assert all("," not in seen for seen in per_request)
    assert set(per_request) == {"replica_1", "replica_2"}


def test_an_unreachable_replica_is_skipped_and_left_alone_for_a_while(second_replica, monkeypatch):
    broken = connections.create_connection("default")
    tries = []

    def refuse():
        tries.append(1)
        _refuse()

    monkeypatch.setattr(broken, "ensure_connection", refuse)
    connections["replica_2"] = broken
    monkeypatch.setattr(replicas, "random", random.Random(16))

    served = {_where("get") for _ in range(12)}

    assert served == {"replica_1"}
    assert len(tries) == 1


def test_with_every_replica_down_reads_fall_back_to_the_primary(read_replica, monkeypatch):
    broken = connections.create_connection("default")
    monkeypatch.setattr(broken, "ensure_connection", _refuse)
    connections["replica_1"] = broken

    assert _where("get") == "default"


# Whole pages, with the router on ---------------------------------------------------------


def test_a_clerk_signs_in_and_reaches_the_workbench_with_replicas_on(read_replica, client):
    clerk = org_f.staff(org_f.district(), Role.WINDOW_CLERK)

    signed_in = client.post("/login/", {"username": clerk.username, "password": "Test-Passw0rd!"})
    client.cookies.pop(POSITION_COOKIE, None)  # session and account never need it
    home = client.get(signed_in["Location"])

    assert signed_in.status_code == 302
    assert home.status_code == 200
    assert clerk.full_name in home.content.decode()


def test_the_front_door_renders_from_the_replica(read_replica, client):
    assert client.get("/").status_code == 200


@pytest.mark.postgres_only
def test_the_primary_reports_its_wal_position_and_a_primary_has_every_position():
    position = replicas.primary_position()

    assert position is not None and replicas.POSITION_RE.fullmatch(position)
    assert replicas.caught_up("default", position) is True
