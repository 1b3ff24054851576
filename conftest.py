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


def _keep_shard(config, items) -> None:
    """``SANYI_TEST_SHARD=K/N``: keep the test files whose place in the sorted list of
    collected files is K modulo N (K from 1), so N processes share one suite. A file stays
    whole, so its module fixtures are built once."""
    shard = os.environ.get("SANYI_TEST_SHARD", "").strip()
    if not shard:
        return
    index, total = (int(part) for part in shard.split("/"))
    files = sorted({item.nodeid.split("::")[0] for item in items})
    mine = {name for place, name in enumerate(files) if place % total == index - 1}
    kept = [item for item in items if item.nodeid.split("::")[0] in mine]
    kept_ids = {id(item) for item in kept}
    config.hook.pytest_deselected(items=[item for item in items if id(item) not in kept_ids])
    items[:] = kept


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    _keep_shard(config, items)

    if connection.vendor != "postgresql":
        skip = pytest.mark.skip(reason="needs PostgreSQL")
        for item in items:
            if "postgres_only" in item.keywords:
                item.add_marker(skip)
    if not os.environ.get("SANYI_REPLICA_CLUSTER"):
        skip = pytest.mark.skip(
            reason="needs a streaming replica: run scripts/replica_test.sh to test against one"
        )
        for item in items:
            if "replica_cluster" in item.keywords:
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


@pytest.fixture
def read_replica(settings):
    """A read replica (alias ``replica_1``) that is the test database itself, on the very
    same connection object: where the router sends a read shows in ``queryset.db`` and in
    ``obj._state.db``, while every read still sees the test's own uncommitted rows.
    scripts/replica_test.sh runs tests/replication against a real streaming replica."""
    from django.db import connections

    from sanyi.core import replicas

    settings.SANYI_READ_REPLICAS = ("replica_1",)
    connections["replica_1"] = connections["default"]
    replicas._down_until.clear()
    yield "replica_1"
    del connections["replica_1"]
    replicas._down_until.clear()


@pytest.fixture(autouse=True)
def _replica_everywhere(request):
    """``SANYI_TEST_READ_REPLICA=1``: every test runs with the
    ``read_replica`` fixture, so the whole suite exercises the router. Tests served by a
    live server thread are left out (the replica alias exists in the test's thread only)."""
    if os.environ.get("SANYI_TEST_READ_REPLICA") and not _is_transactional(request.node):
        request.getfixturevalue("read_replica")
    yield


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the site's language. A request in English (the language switch,
    an English Accept-Language) leaves English active in the thread after the response, as
    LocaleMiddleware activates the language and nothing deactivates it; a later test that
    renders a form's errors without a request would then read them in English."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _isolated_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Nothing cached carries over from one test to the next: API rate-limit counters live in
    the cache, the search lexicon's in-process state is keyed on a cached version, and public
    pages are kept whole in the page cache."""
    from django.core.cache import cache

    from sanyi.core.pagecache import pagecache_reset
    from sanyi.search.lexicon import lexicon_reset

    cache.clear()
    pagecache_reset()
    lexicon_reset()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM_PATH):
        pytest.fail(f"browser tests need Chromium at {CHROMIUM_PATH} (apt-get install chromium)")
    from playwright.sync_api import expect, sync_playwright

    # The suite runs in four processes on two cores: a page can take seconds to answer
    # while the others are busy, so assertions wait up to 15 s (Playwright's default is 5).
    expect.set_options(timeout=15_000)
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
