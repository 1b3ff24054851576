"""The page cache's mechanism: the generation of public content, memoised data, the
decorator's answers (304, Cache-Control, CSRF placeholder) and the shared-cache guard.
The pages that use it are tested in their apps (catalog, openness, portal)."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, _unmask_cipher_token
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from sanyi.core import pagecache
from sanyi.core.models import PublicContentGeneration

pytestmark = pytest.mark.django_db

FORM = engines["django"].from_string('<form method="post">{% csrf_token %}<p>{{ text }}</p></form>')


@pytest.fixture
def calls():
    return []


@pytest.fixture
def page(calls):
    """A public page that counts its renderings."""

    @pagecache.public_page()
    def view(request):
        calls.append(1)
        return HttpResponse(f"<p>第{len(calls)}次</p>")

    return view


def _get(path="/p/", **extra):
    request = RequestFactory().get(path, **extra)
    request.user = AnonymousUser()
    return request


# --- the generation -----------------------------------------------------------------------


def test_a_change_moves_the_generation_once_when_its_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = pagecache.generation()

    with django_capture_on_commit_callbacks(execute=True) as hooks:
        for _ in range(3):
            pagecache.public_content_changed()
        assert pagecache.generation() == before  # nothing moves before the commit

    assert len(hooks) == 1
    assert PublicContentGeneration.objects.get().value == 1
    assert pagecache.generation() != before


def test_another_process_sees_a_change_within_the_check_interval(monkeypatch):
    before = pagecache.generation()
    # Another worker publishes: only the row moves, this process's memory does not.
    PublicContentGeneration.objects.create(pk=1, value=7)

    assert pagecache.generation() == before

    monkeypatch.setattr(pagecache, "CHECK_SECONDS", 0)
    assert pagecache.generation() != before


def test_a_scheduled_release_starts_a_new_generation_when_its_time_comes(monkeypatch):
    now = timezone.now()
    release = now + dt.timedelta(minutes=5)
    monkeypatch.setattr(pagecache, "_schedules", [lambda at: release if at < release else None])
    monkeypatch.setattr(pagecache.timezone, "now", lambda: now)
    before = pagecache.generation()

    monkeypatch.setattr(pagecache.timezone, "now", lambda: release)

    assert pagecache.generation() != before


def test_memoised_data_is_built_once_per_generation(django_capture_on_commit_callbacks):
    built = []

    def build():
        built.append(1)
        return {"n": len(built)}

    first = pagecache.memoise("k", build)
    again = pagecache.memoise("k", build)
    with django_capture_on_commit_callbacks(execute=True):
        pagecache.public_content_changed()
    after_change = pagecache.memoise("k", build)

    assert (first, again, after_change) == ({"n": 1}, {"n": 1}, {"n": 2})


def test_an_uncommitted_change_of_this_thread_is_never_cached():
    built = []
    pagecache.public_content_changed()  # inside the test's transaction: pending

    pagecache.memoise("k", lambda: built.append(1))
    pagecache.memoise("k", lambda: built.append(1))

    assert len(built) == 2


# --- the decorator ------------------------------------------------------------------------


def test_an_anonymous_visitor_gets_the_cached_page_with_public_caching(page, calls, settings):
    first = page(_get())
    second = page(_get())

    assert len(calls) == 1
    assert second.content == first.content == "<p>第1次</p>".encode()
    assert second["Cache-Control"] == f"public, max-age={settings.SANYI_PAGE_MAX_AGE}"
    assert "Cookie" in second["Vary"]
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"]


def test_a_matching_etag_or_date_gets_a_304_with_the_same_headers(page):
    first = page(_get())

    by_etag = page(_get(HTTP_IF_NONE_MATCH=first["ETag"]))
    by_date = page(_get(HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]))
    other = page(_get(HTTP_IF_NONE_MATCH='"something-else"'))

    assert by_etag.status_code == by_date.status_code == 304
    assert by_etag.content == b""
    assert by_etag["ETag"] == first["ETag"]
    assert "public" in by_etag["Cache-Control"]
    assert other.status_code == 200


def test_a_signed_in_visitor_gets_a_private_page_rendered_for_them(page, calls, settings):
    page(_get())
    request = _get(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc")
    request.user = type("Staff", (), {"is_authenticated": True})()

    response = page(request)

    assert len(calls) == 2
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_a_visitor_with_a_message_to_read_gets_the_page_rendered(page, calls):
    page(_get())

    response = page(_get(HTTP_COOKIE="messages=abc"))

    assert len(calls) == 2
    assert "private" in response["Cache-Control"]


def test_a_page_that_sets_a_cookie_or_fails_is_not_kept(calls):
    @pagecache.public_page()
    def view(request):
        calls.append(1)
        response = HttpResponse("x", status=200 if len(calls) > 2 else 404)
        if len(calls) > 2:
            response.set_cookie("mine", "1")
        return response

    for _ in range(4):
        view(_get())

    assert len(calls) == 4


def test_other_pages_languages_and_text_sizes_are_kept_apart(page, calls):
    page(_get("/p/"))
    page(_get("/p/?page=2"))
    page(_get("/p/", HTTP_COOKIE=f"{pagecache.CARE_COOKIE}=1"))
    with translation.override("en"):  # as LocaleMiddleware sets it
        page(_get("/p/"))
    page(_get("/p/"))

    assert len(calls) == 4


def test_a_form_on_a_cached_page_gets_a_fresh_valid_token_each_time():
    @pagecache.public_page()
    def view(request):
        return HttpResponse(FORM.render({"text": "表单"}, request))

    tokens = []
    for _ in range(2):
        request = _get()
        CsrfViewMiddleware(lambda r: HttpResponse()).process_request(request)
        response = view(request)
        html = response.content.decode()
        tokens.append(html.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0])
        assert pagecache.CSRF_PLACEHOLDER not in html
        assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]  # the middleware sets the cookie
        assert _unmask_cipher_token(tokens[-1]) == request.META["CSRF_COOKIE"]

    assert tokens[0] != tokens[1]


def test_the_page_cache_can_be_switched_off(page, calls, settings):
    settings.SANYI_PAGE_CACHE = False

    page(_get())
    page(_get())

    assert len(calls) == 2


# --- shared caches ------------------------------------------------------------------------


def test_a_response_that_sets_a_cookie_is_never_public():
    def answer(request):
        response = HttpResponse("x")
        response["Cache-Control"] = "public, max-age=60"
        response.set_cookie("csrftoken", "abc")
        return response

    response = pagecache.SharedCacheGuardMiddleware(answer)(_get())

    assert response["Cache-Control"] == "max-age=60, private"
