"""Test set-up shared by every app: settings for tests, browser fixtures, factories."""

import os

os.environ.setdefault("SANYI_ENV", "test")
os.environ.setdefault("SANYI_TASKS_BACKEND", "immediate")
# Playwright's sync API runs an event loop; Django's ORM is used from the same thread.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest

CHROMIUM_PATH = os.environ.get("SANYI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
DESKTOP = {"viewport": {"width": 1366, "height": 900}}


def _is_transactional(item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return True
    names = getattr(item, "fixturenames", ())
    return "live_server" in names or "transactional_db" in names


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
    # A transactional test ends by emptying every table, including the reference data the
    # data migrations load (holiday calendars, search synonyms, disclosure areas). With a
    # serialized rollback each such test starts from that data again, whatever ran before.
    for item in items:
        if _is_transactional(item):
            marker = item.get_closest_marker("django_db")
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, with its serialized reference data reachable from every
    connection object.

    Django keeps the snapshot a serialized rollback restores on the connection object that
    created the test database. Playwright's sync API runs an event loop on the main thread,
    after which Django hands the test a new connection object for the same database; that
    object had no snapshot, so the first test after the switch started from the empty
    tables a previous transactional test left. Keeping the snapshot on the backend's class
    makes every connection object of the run see it.
    """
    from django.db import connections

    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is not None:
            type(connections[alias])._test_serialized_contents = contents
    return django_db_setup


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing cached carries over from one test to the next: API rate-limit counters live in
    the cache, and the search lexicon's in-process state is keyed on a cached version."""
    from django.core.cache import cache

    from sanyi.search.lexicon import lexicon_reset

    cache.clear()
    lexicon_reset()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM_PATH} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(locale="zh-CN", **PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop_page(browser):
    context = browser.new_context(locale="zh-CN", **DESKTOP)
    yield context.new_page()
    context.close()
