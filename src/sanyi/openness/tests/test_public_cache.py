"""The disclosure portal's pages from the page cache (core.pagecache): kept for anonymous
visitors, gone at once when a record is revoked, and a scheduled record shows when its time
comes, with no write at all. Data is built as committed (on-commit hooks run)."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sanyi.core import pagecache
from sanyi.openness import services
from sanyi.openness.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def tree(committed):
    with committed():
        return f.setting()


@pytest.fixture
def pub(tree, committed):
    with committed():
        return f.published(
            tree["district"], writer=tree["writer"], reviewer=tree["reviewer"], title="低保标准公告"
        )


def test_a_warm_publication_page_is_public_and_reads_nothing(
    client, pub, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 3600)
    client.get(pub.get_absolute_url())

    with django_assert_max_num_queries(0):
        response = client.get(pub.get_absolute_url())

    assert response.status_code == 200
    assert "低保标准公告" in response.content.decode()
    assert "public" in response["Cache-Control"]
    assert (
        client.get(pub.get_absolute_url(), HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304
    )


def test_a_revoked_record_is_gone_at_once_from_its_page_lists_and_feed(
    client, pub, tree, committed
):
    feed = reverse("openness:unit_feed", args=[tree["district"].pk])
    pages = [reverse("openness:home"), reverse("openness:list"), feed]
    assert all("低保标准公告" in client.get(page).content.decode() for page in pages)
    assert client.get(pub.get_absolute_url()).status_code == 200

    with committed():
        services.publication_revoke(actor=tree["writer"], publication=pub, reason="内容有误")

    assert client.get(pub.get_absolute_url()).status_code == 404
    assert not any("低保标准公告" in client.get(page).content.decode() for page in pages)


def test_a_scheduled_record_shows_when_its_time_comes_without_any_write(
    client, tree, committed, monkeypatch
):
    with committed():
        f.scheduled(
            tree["district"], writer=tree["writer"], reviewer=tree["reviewer"],
            days=1, title="春节值班安排",
        )  # fmt: skip
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 3600)
    assert "春节值班安排" not in client.get(reverse("openness:list")).content.decode()

    later = timezone.now() + dt.timedelta(days=1, minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert "春节值班安排" in client.get(reverse("openness:list")).content.decode()


def test_the_feed_and_an_area_directory_are_cacheable(client, pub, tree):
    feed = client.get(reverse("openness:unit_feed", args=[tree["district"].pk]))
    area = client.get(reverse("openness:area", args=["P17"]))

    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "public" in feed["Cache-Control"]
    assert area.status_code == 200
    assert "public" in area["Cache-Control"]


def _pager_link(page: str, rel: str) -> str:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', page)
    assert found, f"no {rel} link"
    return html.unescape(found.group(1))


def test_list_pages_are_kept_apart_by_their_position(
    client, tree, committed, monkeypatch, django_assert_max_num_queries
):
    """The cache key is the full URL: each cursor's page of the list is kept on its own."""
    with committed():
        for n in range(25):
            f.published(
                tree["district"], writer=tree["writer"], reviewer=tree["reviewer"],
                title=f"列表第{n}条",
            )  # fmt: skip
    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 3600)
    list_url = reverse("openness:list")
    first = client.get(list_url).content.decode()
    second_url = list_url + _pager_link(first, "next")
    second = client.get(second_url).content.decode()

    with django_assert_max_num_queries(0):
        again_first = client.get(list_url)
        again_second = client.get(second_url)

    assert "public" in again_first["Cache-Control"] and "public" in again_second["Cache-Control"]
    assert again_first.content.decode() == first and again_second.content.decode() == second
    shown = [re.findall(r"列表第(\d+)条", page) for page in (first, second)]
    assert len(shown[0]) == 20 and len(shown[1]) == 5 and not set(shown[0]) & set(shown[1])
