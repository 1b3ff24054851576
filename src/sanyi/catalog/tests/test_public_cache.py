"""Guide and life-event pages from the page cache (core.pagecache): what anonymous
visitors get, what signed-in visitors get, and that a publish, a cancellation or a
calendar change shows at once.

Data is built as committed (on-commit hooks run), as it is in production: an uncommitted
change of the test's own thread makes the cache step aside."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as applicant_f
from sanyi.calendar.services import calendar_day_set
from sanyi.catalog import services
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.core import pagecache

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """A block whose writes count as committed: their on-commit hooks run."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def units(committed):
    with committed():
        return org_with_centers()


@pytest.fixture
def version(units, committed):
    with committed():
        return published_dibao(units)


@pytest.fixture
def url(version):
    return reverse("catalog:guide", args=[version.implementation_item.implementation_code])


def _new_version(units, version, **guide):
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=version.implementation_item
    )
    services.item_version_update(actor=units["author"], version=draft, guide=guide)
    services.item_version_submit(actor=units["author"], version=draft)
    services.item_version_review(actor=units["reviewer"], version=draft, approve=True)
    return services.item_version_publish(actor=units["author"], version=draft)


def test_an_anonymous_visitor_gets_a_guide_any_cache_may_keep(client, url, settings):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Cache-Control"] == f"public, max-age={settings.SANYI_PAGE_MAX_AGE}"
    assert {"Cookie", "Accept-Language"} <= set(re.split(r",\s*", response["Vary"]))
    assert response["ETag"] and response["Last-Modified"]
    assert not response.cookies  # nothing for one browser only
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_the_guide_answers_304_to_its_etag_and_to_its_date(client, url):
    first = client.get(url)

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag["ETag"] == first["ETag"]


def test_a_signed_in_member_of_staff_never_gets_a_shared_copy(client, url, units):
    client.get(url)  # an anonymous copy in the cache
    client.force_login(units["author"])

    response = client.get(url)

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "进入工作台" in response.content.decode()


def test_a_signed_in_resident_never_gets_a_shared_copy(client, url):
    client.get(url)
    session = client.session
    session[SESSION_KEY] = applicant_f.person().pk
    session.save()

    response = client.get(url)

    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_a_warm_guide_reads_nothing_from_the_database(
    client, url, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 3600)
    client.get(url)

    with django_assert_max_num_queries(0):
        response = client.get(url)

    assert response.status_code == 200


def test_a_warm_guide_reads_two_rows_when_the_generation_is_checked(
    client, url, monkeypatch, django_assert_max_num_queries
):
    client.get(url)
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 0)

    # The counter, and the next scheduled release of the disclosure portal.
    with django_assert_max_num_queries(2):
        client.get(url)


def test_the_cached_guide_is_the_page_rendered_afresh(client, url, settings):
    client.get(url)
    cached = client.get(url).content

    settings.SANYI_PAGE_CACHE = False
    fresh = client.get(url).content

    assert cached == fresh


def test_another_language_and_large_text_get_their_own_copies(client, url):
    chinese = client.get(url).content.decode()
    client.cookies["sanyi_care"] = "1"
    care = client.get(url).content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert 'class="care"' not in chinese
    assert 'class="care"' in care
    assert '<html lang="en"' in english


def test_a_new_version_shows_at_once(client, url, units, version, committed):
    client.get(url)
    first = client.get(url)

    with committed():
        _new_version(units, version, hours="工作日 8:00-18:00")
    response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "工作日 8:00-18:00" in response.content.decode()


def test_a_cancelled_guide_is_gone_at_once(client, url, units, version, committed):
    assert client.get(url).status_code == 200

    with committed():
        services.item_cancel(
            actor=units["author"],
            implementation_item=version.implementation_item,
            planned_cancel_on=dt.date(2020, 1, 1),
            reason="职能调整",
        )

    assert client.get(url).status_code == 404


def test_a_calendar_change_renders_public_pages_afresh(client, url, committed, monkeypatch):
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 3600)
    client.get(url)

    with committed():
        calendar_day_set(
            actor="系统：测试", day=dt.date(2026, 3, 3), kind="holiday", name="特殊休假"
        )
    with CaptureQueriesContext(connection) as rendering:
        client.get(url)
    with CaptureQueriesContext(connection) as cached:
        client.get(url)

    assert len(rendering) > 0
    assert len(cached) == 0


def test_a_life_event_shows_its_new_description_at_once(client, version, committed):
    def save(description: str):
        with committed():
            return services.life_event_save(
                actor=f.SYSTEM,
                name="低保一件事",
                description=description,
                items=[version.implementation_item],
            )

    event_url = reverse("catalog:life_event", args=[save("先看看能不能办").pk])
    assert "先看看能不能办" in client.get(event_url).content.decode()

    save("一次告诉您要带的全部材料")

    assert "一次告诉您要带的全部材料" in client.get(event_url).content.decode()
