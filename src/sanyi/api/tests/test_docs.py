"""The interactive API docs (Swagger UI) work under the site's strict CSP, offline."""

import pytest
from django.conf import settings

DOCS = "/api/v1/docs/"


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    # Tests do not run collectstatic; outside SANYI_ENV=test the manifest storage would
    # refuse to name the Swagger UI files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.mark.django_db
def test_the_docs_page_loads_everything_from_our_own_origin(client):
    response = client.get(DOCS)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html and "<style>" not in html  # nothing inline for CSP to block
    assert "cdn" not in html.lower()
    assert f"{settings.STATIC_URL}drf_spectacular_sidecar/swagger-ui-dist/" in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.django_db
def test_the_docs_start_script_is_served_as_javascript(client):
    response = client.get(DOCS, {"script": ""})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in response.content.decode()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_swagger_ui_renders_the_operations_without_csp_violations(live_server, desktop_page):
    page = desktop_page
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None,
    )

    page.goto(f"{live_server.url}{DOCS}")
    page.locator(".opblock").first.wait_for(timeout=20000)
    # Swagger UI renders long operation lists virtually: scroll until each is drawn.
    seen = _scroll_until_seen(page, ["计算到期日", "组织单位列表"])

    assert seen == {"计算到期日", "组织单位列表"}
    assert page.locator(".swagger-ui .info .title").inner_text().startswith("Sanyi API")
    assert not [p for p in problems if "Content Security Policy" in p], problems
    assert not problems, problems
    assert not [u for u in outside if not u.startswith("data:")], outside


def _scroll_until_seen(page, texts: list[str]) -> set[str]:
    seen: set[str] = set()
    for _ in range(200):
        seen |= {t for t in texts if page.get_by_text(t).count()}
        if len(seen) == len(texts):
            break
        page.mouse.wheel(0, 1500)
        page.wait_for_timeout(100)
    return seen
