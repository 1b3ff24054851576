"""Running the authorisation matrix: one request per cell, judged against the table.

A cell is (endpoint, method, role, scope). ``scope`` is "in" when the request names an
object of branch A (the branch the role is held on) and "out" for the same kind of object
of branch B; endpoints without an object have only the "in" cell.

Outcomes
--------
* API: denied means 401, 403 or 404 (the platform's problem answers). Allowed means any
  answer that is not a denial, not 405 and not a server error: a 400 for the deliberately
  empty body of a write still shows the caller got past the permission check.
* Workbench: anonymous callers and applicants (who are not staff) are sent to the staff
  sign-in page; staff without the right role get 403, objects out of scope 403 or 404.
  A workbench action refused by its service goes back to the page with an error message
  (a redirect); that counts as a refusal, and the unchanged database proves it.
* A denied write must leave the database as it was: no audit row and no row added or
  removed in the tables the endpoints write to.
* A list the role may read must not show the object of branch B (and, where the table
  says so, must show the object of branch A, so the check cannot pass on an empty list).

Each request runs in a savepoint that is rolled back, so cells do not see each other's
writes and the world is built once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.applicants.auth import SESSION_KEY
from tests.authz.world import ANONYMOUS, APPLICANT, ROLES, World

DENIED_API = {401, 403, 404}
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Tables the endpoints under test write to; a denied write must leave their counts alone.
WATCHED_MODELS = [
    "audit.AuditEvent",
    "orgs.OrgUnit",
    "orgs.ServiceCenter",
    "orgs.Window",
    "orgs.RoleAssignment",
    "catalog.ItemVersion",
    "cases.Case",
    "cases.CaseTask",
    "cases.CaseEvent",
    "openness.Publication",
    "openness.DirectoryEntry",
    "openness.NegativeListEntry",
    "disclosure_requests.InfoRequest",
    "annual_reports.AnnualReport",
    "licences.ELicence",
    "ratings.Rating",
    "appointments.Booking",
    "notify.Message",
    "notify.WebhookSubscription",
    "search.Synonym",
    "calendar.CalendarDay",
    "calendar.CalendarYear",
    "calendar.CalendarChange",
    "grid.EventReport",
    "grid.EventStep",
    "grid.HouseholdVisit",
    "proactive.ProactiveRule",
    "proactive.ProactiveOffer",
    "proactive.ProactiveOptOut",
]

Kwargs = Callable[[World, Any, str], dict]


@dataclass(frozen=True)
class Spec:
    """The expectation for one endpoint and method.

    ``allow``: the roles that may use it on objects in their scope. ``obj``: the key of the
    branch object the URL names (``None`` for lists and forms); with ``scoped`` (the
    default) no role may reach branch B's object. ``kwargs`` builds URL arguments other
    than ``pk``. ``leak``: for lists, the object whose branch-B copy must not be shown;
    ``shows_own``: the branch-A copy must be shown to every allowed role.
    ``validates_first``: roles whose denied write is answered 400 because the endpoint
    reads its input before the service checks the role (nothing changes; counted apart).
    Any other 400 where a denial is expected is a violation.
    """

    name: str
    method: str
    allow: frozenset[str]
    obj: str | None = None
    scoped: bool = True
    kwargs: Kwargs | None = None
    data: dict | Callable[[World, Any, str], dict] | None = None
    fmt: str = "json"
    query: dict | Callable[[World], dict] | None = None
    leak: str | None = None
    shows_own: bool = False
    validates_first: frozenset[str] = frozenset()
    note: str = ""

    @property
    def is_api(self) -> bool:
        return self.name.startswith("api:")


def S(name: str, method: str, allow, **kw) -> Spec:
    return Spec(name=name, method=method.upper(), allow=frozenset(allow), **kw)


@dataclass
class Result:
    cells: int = 0
    violations: list[str] = field(default_factory=list)
    refused_before_check: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"Authorisation matrix: {self.cells} cells, {len(self.violations)} violations"
            f" ({len(self.refused_before_check)} denied writes refused as invalid input"
            " before the permission check)"
        )


def clients(world: World) -> dict[str, APIClient]:
    out: dict[str, APIClient] = {ANONYMOUS: APIClient()}
    applicant = APIClient()
    session = applicant.session
    session[SESSION_KEY] = world.applicant.pk
    session.save()
    applicant.cookies["sessionid"] = session.session_key
    out[APPLICANT] = applicant
    for role, user in world.users.items():
        c = APIClient()
        c.force_login(user)
        out[role] = c
    return out


# Text that identifies an object in a list answer (JSON or HTML).
MARKERS: dict[str, Callable[[Any], str]] = {
    "case": lambda b: b["case"].number,
    "task": lambda b: b["case"].number,
    "precheck": lambda b: b["precheck"].number,
    "concluded": lambda b: b["concluded"].number,
    "publication": lambda b: f"{b.label}公开文件",
    "pub_draft": lambda b: f"{b.label}草稿文件",
    "entry": lambda b: f"{b.label}目录事项",
    "negative": lambda b: f"{b.label}负面清单",
    "request": lambda b: b["request"].number,
    "report": lambda b: f"{b.label}街道",
    "licence": lambda b: b["licence"].number,
    "rating": lambda b: b["delivered"].number,
    "rectification": lambda b: b["delivered"].number,
    "draft": lambda b: f"{b.label}草稿事项",
    "unit": lambda b: f"{b.label}社区",
    "center": lambda b: f"{b.label}街道便民服务中心",
    "booking": lambda b: b["booking"].code,
    "grid_task": lambda b: b["grid_case"].number,
    "grid_event": lambda b: b["grid_event"].title,
    "grid_resident": lambda b: b["grid_resident"].display_name,
    "grid_assist": lambda b: b["grid_assist"].applicant.display_name,
    "household": lambda b: b["household"].address,
    "grid": lambda b: b["grid"].name,
    # The branch's published item, in the demand funnel (its online case in pre-check).
    "demand_item": lambda b: f"{b.label}事项许可",
}


def _counts() -> tuple[int, ...]:
    return tuple(apps.get_model(label).objects.count() for label in WATCHED_MODELS)


def _url(spec: Spec, world: World, role: str, scope: str) -> str:
    branch = world.branch(scope)
    kwargs: dict = {}
    if spec.obj is not None:
        kwargs["pk"] = branch[spec.obj].pk
    if spec.kwargs is not None:
        kwargs.update(spec.kwargs(world, branch, role))
    url = reverse(spec.name, kwargs=kwargs or None)
    return url


def _send(client: APIClient, spec: Spec, url: str, world: World, branch, role: str):
    cache.clear()  # rate-limit counters: the matrix sends far more than a minute's quota
    method = spec.method.lower()
    if method == "get":
        query = spec.query(world) if callable(spec.query) else spec.query
        return client.get(url, query or {})
    data = spec.data(world, branch, role) if callable(spec.data) else spec.data
    if spec.is_api:
        return getattr(client, method)(url, data or {}, format=spec.fmt)
    return getattr(client, method)(url, data or {})


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login" in response.get("Location", "")


def _refused_with_message(response) -> bool:
    """A workbench action the service refused: back to the page with an error message."""
    if response.status_code != 302 or _is_login_redirect(response):
        return False
    request = getattr(response, "wsgi_request", None)
    storage = getattr(request, "_messages", None)
    queued = getattr(storage, "_queued_messages", [])
    return any(m.level >= messages.ERROR for m in queued)


def _judge(spec: Spec, role: str, scope: str, response) -> tuple[bool, bool]:
    """(allowed, denied) as the platform answered."""
    status = response.status_code
    if spec.is_api:
        return status not in DENIED_API and status != 405 and status < 500, status in DENIED_API
    if role in (ANONYMOUS, APPLICANT):
        return False, _is_login_redirect(response)
    hard_denied = status in (403, 404) or _is_login_redirect(response)
    allowed = not hard_denied and status != 405 and status < 500
    # A refusal shown as a message can be the permission check or the object's state
    # (publishing a draft not yet approved); it satisfies both expectations, and the
    # unchanged database is what proves a denied write.
    refused = spec.method in WRITE_METHODS and _refused_with_message(response)
    return allowed, hard_denied or refused


def run_cell(result: Result, world: World, spec: Spec, role: str, scope: str, client) -> None:
    expect_allowed = role in spec.allow and (scope == "in" or not spec.scoped)
    url = _url(spec, world, role, scope)
    label = f"{spec.method} {spec.name} [{role}, {scope} scope] {url}"
    result.cells += 1
    with transaction.atomic():
        before = _counts() if spec.method in WRITE_METHODS else None
        response = _send(client, spec, url, world, world.branch(scope), role)
        after = _counts() if before is not None else None
        transaction.set_rollback(True)
    allowed, denied = _judge(spec, role, scope, response)
    status = response.status_code
    if status >= 500:
        result.violations.append(f"{label}: server error {status}")
        return
    if expect_allowed and not allowed:
        result.violations.append(f"{label}: expected allowed, got {status} {_detail(response)}")
        return
    if not expect_allowed and not denied:
        changed = before is not None and before != after
        invalid_first = role in spec.validates_first and status in (400, 409, 422)
        if spec.method in WRITE_METHODS and invalid_first and not changed:
            result.refused_before_check.append(f"{label}: {status}")
        else:
            result.violations.append(
                f"{label}: expected denied, got {status}"
                + (" and the database changed" if changed else "")
            )
        return
    if not expect_allowed and before is not None and before != after:
        result.violations.append(f"{label}: denied ({status}) but the database changed")
        return
    if expect_allowed and spec.leak and response.status_code == 200:
        body = _text(response)
        if MARKERS[spec.leak](world.b) in body:
            result.violations.append(f"{label}: list shows branch B's {spec.leak}")
        if spec.shows_own and MARKERS[spec.leak](world.a) not in body:
            result.violations.append(f"{label}: list does not show branch A's {spec.leak}")


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = content.decode("utf-8", "replace")
    if response.get("Content-Type", "").startswith("application/json"):
        try:  # JSON escapes non-ASCII text; compare on the decoded form
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def _detail(response) -> str:
    try:
        return str(response.json().get("detail", ""))[:120]
    except Exception:
        return ""


def run_matrix(world: World, specs: list[Spec]) -> Result:
    result = Result()
    by_role = clients(world)
    for spec in specs:
        scopes = ("in", "out") if spec.obj is not None or spec.kwargs is not None else ("in",)
        for role in ROLES:
            for scope in scopes:
                run_cell(result, world, spec, role, scope, by_role[role])
    return result
