"""Counting guide views and opened application pages: once per browser and day, no
robots, no staff, nothing about the visitor stored."""

from __future__ import annotations

import datetime as dt
import types

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanyi.analytics import middleware
from sanyi.analytics.middleware import COOKIE, BehaviourMiddleware, is_robot
from sanyi.analytics.models import BehaviourCount, BehaviourKind
from sanyi.analytics.services import RETENTION_DAYS, behaviour_count_add, behaviour_purge
from sanyi.applicants.auth import SESSION_KEY as APPLICANT_KEY
from sanyi.applicants.tests import factories as applicant_f
from sanyi.audit.models import AuditEvent
from sanyi.catalog.tests import factories as catalog_f
from sanyi.orgs.models import OrgKind, Role
from sanyi.orgs.tests import factories as org_f

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    d = org_f.district(uscc=org_f.unique_uscc())
    sub = org_f.unit(d, OrgKind.SUBDISTRICT, uscc=org_f.unique_uscc())
    return catalog_f.item(unit=sub, status="published").implementation_item


def _guide(item) -> str:
    return reverse("catalog:guide", args=[item.implementation_code])


def _views(item, kind=BehaviourKind.GUIDE_VIEW) -> int:
    return sum(
        BehaviourCount.objects.filter(item=item, kind=kind).values_list("sessions", flat=True)
    )


def test_a_guide_view_counts_once_per_browser_a_day(item):
    first, second = Client(HTTP_USER_AGENT=BROWSER), Client(HTTP_USER_AGENT=BROWSER)

    assert first.get(_guide(item)).status_code == 200
    first.get(_guide(item))  # a reload
    second.get(_guide(item))

    assert _views(item) == 2
    assert BehaviourCount.objects.get().day == dt.date.today()


def test_the_same_browser_counts_again_the_next_day(item, monkeypatch):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.get(_guide(item))
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr(middleware.timezone, "localdate", lambda: tomorrow)

    client.get(_guide(item))
    client.get(_guide(item))

    assert list(BehaviourCount.objects.order_by("day").values_list("sessions", flat=True)) == [1, 1]


def test_counting_starts_no_session_and_the_counted_answer_stays_private(item):
    client = Client(HTTP_USER_AGENT=BROWSER)

    response = client.get(_guide(item))

    assert _views(item) == 1
    assert settings.SESSION_COOKIE_NAME not in response.cookies  # nothing kept on the server
    cookie = response.cookies[COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/"
    assert 0 < int(cookie["max-age"]) <= 24 * 60 * 60  # lapses with the day
    assert item.implementation_code not in cookie.value  # a keyed hash, not the guide
    assert "public" not in response.get("Cache-Control", "")  # never kept by a shared cache
    again = client.get(_guide(item))
    assert COOKIE not in again.cookies and _views(item) == 1  # nothing to remember again


@pytest.mark.parametrize(
    "value",
    ["", "garbage", "20200101.abcdefabcdef", "x" * 5000, "{today}.abc", "{today}.ABCDEFABCDEF"],
)
def test_a_cookie_of_another_day_or_not_ours_counts_the_view(item, value):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.cookies[COOKIE] = value.format(today=f"{dt.date.today():%Y%m%d}")

    response = client.get(_guide(item))

    assert response.status_code == 200 and _views(item) == 1
    assert response.cookies[COOKIE].value.startswith(f"{dt.date.today():%Y%m%d}.")


def test_a_browser_counts_at_most_so_many_pages_a_day(item, monkeypatch):
    monkeypatch.setattr(middleware, "MAX_PER_DAY", 2)
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.cookies[COOKIE] = f"{dt.date.today():%Y%m%d}." + "0" * 12 + "1" * 12

    client.get(_guide(item))

    assert not BehaviourCount.objects.exists()


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/120.0 Safari/537.36",
        "curl/8.5.0",
        "python-requests/2.32",
        "",
    ],
)
def test_robots_and_scripts_are_not_counted(item, agent):
    Client(HTTP_USER_AGENT=agent).get(_guide(item))

    assert not BehaviourCount.objects.exists()


def test_a_prefetch_is_not_counted(item):
    Client(HTTP_USER_AGENT=BROWSER).get(_guide(item), HTTP_SEC_PURPOSE="prefetch")

    assert not BehaviourCount.objects.exists()


def test_staff_looking_at_a_guide_are_not_counted(item):
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(org_f.staff(item.implementing_unit, Role.CATALOG_ADMIN))

    client.get(_guide(item))

    assert not BehaviourCount.objects.exists()


def test_a_missing_guide_and_a_post_are_not_counted(item):
    client = Client(HTTP_USER_AGENT=BROWSER)

    assert client.get(reverse("catalog:guide", args=["NOSUCHCODE"])).status_code == 404
    client.head(_guide(item))

    assert not BehaviourCount.objects.exists()


def test_opening_the_online_application_page_is_counted_for_a_signed_in_resident(item):
    client = Client(HTTP_USER_AGENT=BROWSER)
    session = client.session
    session[APPLICANT_KEY] = applicant_f.person().pk
    session.save()
    url = reverse("cases:apply", args=[item.implementation_code])

    assert client.get(url).status_code == 200
    client.get(url)

    assert _views(item, BehaviourKind.APPLY_VIEW) == 1


def test_the_counts_hold_no_address_browser_session_or_account():
    names = {f.name for f in BehaviourCount._meta.get_fields()}

    assert names == {"id", "day", "item", "kind", "sessions"}


class _WatchedMeta(dict):
    """Request headers that remember which keys were read."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.read: set[str] = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)


def test_the_middleware_never_reads_the_address_and_stores_nothing_of_the_request(item):
    request = RequestFactory().get(_guide(item), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT=BROWSER)
    request.META = _WatchedMeta(request.META)
    request.resolver_match = types.SimpleNamespace(
        view_name="catalog:guide", kwargs={"implementation_code": item.implementation_code}
    )
    request.session = {}
    request.user = types.SimpleNamespace(is_authenticated=False)

    response = BehaviourMiddleware(lambda r: HttpResponse("ok"))(request)

    assert "REMOTE_ADDR" not in request.META.read
    assert "HTTP_X_FORWARDED_FOR" not in request.META.read
    stored = str(list(BehaviourCount.objects.values()))
    assert "203.0.113.9" not in stored and "Firefox" not in stored
    assert _views(item) == 1
    # The browser's cookie holds a keyed hash, not which guide was read; no session.
    assert item.implementation_code not in response.cookies[COOKIE].value
    assert request.session == {}


def test_counting_adds_to_the_days_row_and_skips_an_unknown_code(item):
    day = dt.date(2026, 3, 10)

    for _ in range(3):
        behaviour_count_add(
            kind="guide_view", implementation_code=item.implementation_code, day=day
        )
    unknown = behaviour_count_add(kind="guide_view", implementation_code="NOSUCH", day=day)

    assert BehaviourCount.objects.get().sessions == 3
    assert unknown is False


def test_is_robot_lets_ordinary_browsers_through():
    assert not is_robot(BROWSER)
    assert not is_robot(
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1 MicroMessenger/8.0"
    )


def test_counts_older_than_the_retention_are_purged_with_an_audit_row(item):
    today = dt.date(2028, 6, 1)
    old = today - dt.timedelta(days=RETENTION_DAYS + 1)
    kept = today - dt.timedelta(days=RETENTION_DAYS)
    BehaviourCount.objects.create(day=old, item=item, kind="guide_view", sessions=4)
    BehaviourCount.objects.create(day=kept, item=item, kind="guide_view", sessions=2)

    deleted = behaviour_purge(today=today, actor="系统：测试")

    assert deleted == 1
    assert list(BehaviourCount.objects.values_list("day", flat=True)) == [kept]
    assert AuditEvent.objects.filter(action="analytics.behaviour_purge").count() == 1


def test_a_counted_view_costs_one_statement_more_than_an_uncounted_one(item):
    """No session is written for counting: the day's row is one UPDATE."""
    Client(HTTP_USER_AGENT=BROWSER).get(_guide(item))  # the day's row exists
    robot = Client(HTTP_USER_AGENT="curl/8.5.0")
    robot.get(_guide(item))  # the page as the server keeps it

    with CaptureQueriesContext(connection) as uncounted:
        robot.get(_guide(item))
    with CaptureQueriesContext(connection) as counted:
        Client(HTTP_USER_AGENT=BROWSER).get(_guide(item))

    assert len(counted) == len(uncounted) + 1
    assert counted.captured_queries[-1]["sql"].startswith("UPDATE")
    assert _views(item) == 2
