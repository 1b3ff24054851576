"""The shared shell in Chinese (the default) and English (Django i18n): the language switch
in both footers, Accept-Language, and the English catalogue itself."""

import ast
import gettext
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import translation

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.portal.templatetags.portal_shell import duration, html_lang
from sanyi.portal.views import errors
from sanyi.workbench.navigation import visible_tiles

CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _switch(client, language: str, next_url: str = "/"):
    return client.post("/i18n/setlang/", {"language": language, "next": next_url})


def _po_entries() -> list[tuple[str, list[str]]]:
    """(msgid, msgstrs) of every entry in the English .po, header left out."""
    entries = []
    for block in (CATALOGUE / "django.po").read_text(encoding="utf-8").split("\n\n"):
        parts: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            match = re.match(r"^(msgid|msgid_plural|msgstr(?:\[\d\])?) (\".*\")$", line)
            if match:
                key = match.group(1)
                parts[key] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and key:
                parts[key] += ast.literal_eval(line)
        if parts.get("msgid"):
            entries.append(
                (parts["msgid"], [v for k, v in sorted(parts.items()) if k.startswith("msgstr")])
            )
    return entries


@pytest.mark.django_db
def test_home_is_chinese_by_default(client):
    html = client.get("/").content.decode()

    assert '<html lang="zh-Hans"' in html
    assert "跳到主要内容" in html
    assert "工作人员登录" in html
    assert "关怀模式" in html
    assert ">首页</a>" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_footer_offers_both_languages_posting_back_to_this_page(client):
    html = client.get("/login/?next=/workbench/").content.decode()

    footer = html[html.index('<footer class="site-footer">') :]
    assert 'action="/i18n/setlang/"' in footer
    # The same for every visitor, so a cached public page can carry it.
    assert 'name="csrfmiddlewaretoken"' not in footer
    assert '<input type="hidden" name="next" value="/login/?next=/workbench/">' in footer
    assert 'value="zh-hans" lang="zh-Hans" aria-current="true">简体中文</button>' in footer
    assert 'value="en" lang="en">English</button>' in footer
    assert "<script" not in footer


@pytest.mark.django_db
def test_switching_the_language_needs_no_csrf_token():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/i18n/setlang/", {"language": "en", "next": "/services/"})

    assert response.status_code == 302
    assert response["Location"] == "/services/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_switching_the_language_never_leaves_the_site():
    response = _switch(Client(), "en", next_url="https://evil.example/")

    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_switching_to_english_translates_the_portal_shell(client):
    response = _switch(client, "en", "/")

    assert response.status_code == 302
    assert response["Location"] == "/"
    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in html
    assert "Staff sign-in" in html
    assert "Large text" in html
    assert 'aria-label="Main navigation"' in html
    assert ">Home</a>" in html
    assert ">Service guides</a>" in html
    assert ">Open government</a>" in html
    assert "Public service hotline: 12345." in html
    assert 'value="en" lang="en" aria-current="true">English</button>' in html
    assert "跳到主要内容" not in html
    assert "工作人员登录" not in html


@pytest.mark.django_db
def test_switching_back_to_chinese(client):
    _switch(client, "en")
    assert "Skip to main content" in client.get("/").content.decode()

    _switch(client, "zh-hans")

    html = client.get("/").content.decode()
    assert '<html lang="zh-Hans"' in html
    assert "跳到主要内容" in html
    assert "Skip to main content" not in html


@pytest.mark.django_db
def test_accept_language_english_gets_english(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="en"' in html
    assert "Skip to main content" in html


@pytest.mark.django_db
def test_an_unoffered_accept_language_falls_back_to_chinese(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").content.decode()

    assert '<html lang="zh-Hans"' in html
    assert "跳到主要内容" in html


@pytest.mark.django_db
def test_workbench_home_in_english_after_login(client):
    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    client.force_login(clerk)
    _switch(client, "en", "/workbench/")

    html = client.get("/workbench/").content.decode()

    assert '<html lang="en"' in html
    assert f"Hello, {clerk.full_name}" in html
    assert "Skip to main content" in html
    assert "Sign out" in html
    assert ">Workbench home</a>" in html
    assert "My positions" in html
    assert '<td data-label="Role">Window clerk</td>' in html
    assert '<span class="muted"> (Subdistrict)</span>' in html
    assert "Account security" in html
    assert "Every action is recorded in the audit log." in html
    assert 'value="en" lang="en" aria-current="true">English</button>' in html
    assert "退出登录" not in html


@pytest.mark.django_db
def test_workbench_stays_chinese_by_default(client):
    tree = f.tree()
    client.force_login(f.staff(tree["sub1"], Role.WINDOW_CLERK))

    html = client.get("/workbench/").content.decode()

    assert '<html lang="zh-Hans"' in html
    assert "退出登录" in html
    assert '<td data-label="角色">窗口人员</td>' in html
    assert '<span class="muted">（街道）</span>' in html


@pytest.mark.django_db
def test_login_form_and_its_errors_in_english(client):
    _switch(client, "en", "/login/")

    html = client.post("/login/", {"username": "", "password": ""}).content.decode()

    assert "<title>Staff sign-in｜" in html
    assert "User name" in html
    assert "Please enter your user name" in html
    assert "Please enter your password" in html


@pytest.mark.django_db
def test_error_page_in_english(client):
    html = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "Page not found" in html
    assert "Error code: 404" in html
    assert "Back to home page" in html


def test_bare_500_page_has_no_language_form_to_post_without_a_token():
    request = RequestFactory().get("/x/")

    with translation.override("en"):
        html = errors.server_error(request).content.decode()

    assert "System error" in html
    assert "/i18n/setlang/" not in html


def test_role_labels_stay_chinese_data_and_translate_only_for_display():
    with translation.override("en"):
        assert Role.WINDOW_CLERK.label == "窗口人员"
        assert translation.gettext(Role.WINDOW_CLERK.label) == "Window clerk"


@pytest.mark.django_db
def test_workbench_tiles_follow_the_active_language():
    user = f.staff(f.district(), Role.WINDOW_CLERK)

    with translation.override("en"):
        labels = [tile.label for tile in visible_tiles(user=user, held_roles=set())]

    assert "Account security" in labels


@pytest.mark.parametrize(
    ("code", "tag"),
    [("zh-hans", "zh-Hans"), ("en", "en"), ("en-us", "en-US"), ("zh-hant-tw", "zh-Hant-TW")],
)
def test_html_lang_writes_bcp47_case(code, tag):
    assert html_lang(code) == tag


@pytest.mark.parametrize(
    ("seconds", "chinese", "english"),
    [
        (1, "1分钟", "1 min"),
        (30 * 60, "30分钟", "30 min"),
        (60 * 60, "1小时", "1 h"),
        (90 * 60 - 1, "1小时30分钟", "1 h 30 min"),
    ],
)
def test_duration_rounds_up_to_minutes_in_the_page_language(seconds, chinese, english):
    value = timedelta(seconds=seconds)

    with translation.override("zh-hans"):
        assert duration(value) == chinese
    with translation.override("en"):
        assert duration(value) == english


def test_every_english_entry_is_translated_with_the_same_placeholders():
    entries = _po_entries()

    assert entries
    # msgfmt leaves fuzzy entries out of the .mo, so they would silently show Chinese.
    assert "#, fuzzy" not in (CATALOGUE / "django.po").read_text(encoding="utf-8")
    for msgid, msgstrs in entries:
        assert msgstrs and all(msgstrs), f"未翻译：{msgid}"
        for msgstr in msgstrs:
            assert sorted(PLACEHOLDER.findall(msgstr)) == sorted(PLACEHOLDER.findall(msgid)), msgid


def test_compiled_catalogue_matches_the_po_file():
    """The committed .mo must be compiled from the current .po (run compilemessages)."""
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)

    for msgid, msgstrs in _po_entries():
        if len(msgstrs) == 1:
            assert compiled.gettext(msgid) == msgstrs[0], msgid


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_footer_switch_works_in_a_real_browser_without_script(live_server, phone_page):
    page = phone_page
    blocked: list[str] = []
    page.on("console", lambda msg: blocked.append(msg.text) if "Refused to" in msg.text else None)
    page.goto(live_server.url + "/login/")

    page.get_by_role("button", name="English").click()

    page.wait_for_url(live_server.url + "/login/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Staff sign-in"
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    page.get_by_role("button", name="简体中文").click()
    page.wait_for_url(live_server.url + "/login/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作人员登录"
    assert blocked == []
