"""The portal and workbench shells in a real Chromium: phone and desktop, large-text mode,
staff login, and axe-core accessibility checks."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Test-Passw0rd!"
SERIOUS = {"serious", "critical"}


@pytest.fixture
def district_with_centers():
    tree = f.tree()
    tree["district_center"] = f.center(tree["district"], windows=0, phone="0591-12345678")
    tree["sub_center"] = f.center(tree["sub1"], windows=0)
    tree["comm_center"] = f.center(tree["comm1"], windows=0)
    return tree


def _watch_csp(page) -> list[str]:
    """Collect console messages that report something the Content Security Policy blocked."""
    blocked: list[str] = []
    page.on(
        "console",
        lambda msg: (
            blocked.append(msg.text)
            if "Content Security Policy" in msg.text or "Refused to" in msg.text
            else None
        ),
    )
    return blocked


def _serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in SERIOUS
    ]


def _log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: not url.endswith("/login/"))  # signed in, or on to a second step


def test_center_directory_on_a_phone(live_server, phone_page, district_with_centers):
    page = phone_page
    blocked = _watch_csp(page)

    page.goto(live_server.url + "/centers/")

    # the center list is there and readable without sideways scrolling
    expect(page.locator("#centers")).to_be_visible()
    expect(page.get_by_text(district_with_centers["district_center"].name)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the skip link is the first stop and moves focus to the main content
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.url.endswith("#main")
    assert blocked == []


def test_center_directory_on_a_desktop(live_server, desktop_page, district_with_centers):
    page = desktop_page
    blocked = _watch_csp(page)

    page.goto(live_server.url + "/centers/")

    expect(page.locator("#centers")).to_be_visible()
    expect(page.get_by_role("heading", name="区级政务服务中心")).to_be_visible()
    # community stations are folded away, one click opens them
    comm = page.get_by_text(district_with_centers["comm_center"].name)
    expect(comm).to_be_hidden()
    page.locator("details.disclosure summary").first.click()
    expect(comm).to_be_visible()
    assert page.evaluate("typeof htmx") == "object"  # vendored htmx loaded from our origin
    assert blocked == []


def test_center_directory_renders_on_a_phone_without_org_data(live_server, phone_page):
    phone_page.goto(live_server.url + "/centers/")

    expect(phone_page.get_by_text("还没有录入区、街道和社区的服务信息")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_large_text_mode_grows_the_text_and_survives_a_reload(live_server, phone_page):
    page = phone_page
    page.goto(live_server.url + "/")
    size = "parseFloat(getComputedStyle(document.body).fontSize)"
    normal = page.evaluate(size)
    toggle = page.get_by_role("button", name="关怀模式")
    assert toggle.get_attribute("aria-pressed") == "false"

    toggle.click()

    large = page.evaluate(size)
    assert large >= normal * 1.2
    assert toggle.get_attribute("aria-pressed") == "true"
    tap_height = page.locator(".site-nav a").first.evaluate("el => el.offsetHeight")
    assert tap_height >= 48
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # after a reload the server already renders the large size (no flash)
    response = page.reload()
    assert '<html lang="zh-Hans" class="care">' in response.text()
    assert page.evaluate(size) == large
    assert page.evaluate("localStorage.getItem('sanyi-care')") == "1"

    page.get_by_role("button", name="关怀模式").click()
    assert page.evaluate(size) == normal


def test_window_clerk_logs_in_to_the_workbench(live_server, phone_page):
    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    page = phone_page
    blocked = _watch_csp(page)

    _log_in(page, live_server.url, clerk.username)

    page.wait_for_url(f"{live_server.url}/workbench/")
    expect(page.get_by_role("heading", name=f"您好，{clerk.full_name}")).to_be_visible()
    expect(page.get_by_text(tree["sub1"].name).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert blocked == []

    page.get_by_role("button", name="退出登录").click()
    page.wait_for_url(f"{live_server.url}/")


def test_system_admin_without_device_is_sent_to_set_one_up(live_server, desktop_page):
    admin = f.staff(f.district(), Role.SYSTEM_ADMIN)
    page = desktop_page

    _log_in(page, live_server.url, admin.username)

    page.wait_for_url(f"{live_server.url}/login/authenticator/")
    expect(page.get_by_role("heading", name="设置手机验证器")).to_be_visible()
    expect(page.get_by_role("img", name="验证器二维码")).to_be_visible()
    page.goto(f"{live_server.url}/workbench/")
    assert page.url.startswith(f"{live_server.url}/login/")


@pytest.mark.parametrize("care", [False, True], ids=["normal", "large-text"])
def test_public_pages_pass_axe(live_server, phone_page, district_with_centers, care):
    page = phone_page
    if care:
        page.context.add_cookies([{"name": "sanyi_care", "value": "1", "url": live_server.url}])

    for path in ("/", "/area/", "/centers/", "/login/", "/no-such-page/"):
        page.goto(live_server.url + path)
        assert _serious_violations(page) == [], path


def test_workbench_pages_pass_axe(live_server, desktop_page):
    tree = f.tree()
    clerk = f.staff(tree["sub1"], Role.WINDOW_CLERK)
    page = desktop_page
    _log_in(page, live_server.url, clerk.username)
    page.wait_for_url(f"{live_server.url}/workbench/")

    for path in (
        "/workbench/",
        "/workbench/account/",
        "/workbench/account/password/",
        f"/workbench/history/orgs.orgunit/{tree['comm1'].pk}/",
    ):
        page.goto(live_server.url + path)
        assert _serious_violations(page) == [], path


def test_axe_check_does_report_problems(live_server, desktop_page):
    # guards the checks above against passing vacuously
    desktop_page.goto(live_server.url + "/")
    desktop_page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')"
    )

    assert any(v.startswith("image-alt") for v in _serious_violations(desktop_page))


def test_print_leaves_out_navigation_and_buttons(live_server, desktop_page, district_with_centers):
    page = desktop_page
    page.goto(live_server.url + "/centers/")

    page.emulate_media(media="print")

    expect(page.locator(".site-nav")).to_be_hidden()
    expect(page.get_by_role("button", name="关怀模式")).to_be_hidden()
    expect(page.locator("#centers")).to_be_visible()
    comm = page.get_by_text(district_with_centers["comm_center"].name)
    page.evaluate("window.dispatchEvent(new Event('beforeprint'))")
    expect(comm).to_be_visible()  # folded community stations are printed too
    page.evaluate("window.dispatchEvent(new Event('afterprint'))")
    expect(comm).to_be_hidden()


@pytest.mark.parametrize("start", ["/", "/workbench/"], ids=["portal-js", "workbench-hx-headers"])
def test_htmx_posts_carry_the_csrf_token(live_server, desktop_page, start):
    clerk = f.staff(f.district(), Role.WINDOW_CLERK)
    page = desktop_page
    _log_in(page, live_server.url, clerk.username)
    page.wait_for_url(f"{live_server.url}/workbench/")
    page.goto(live_server.url + start)
    statuses = []
    page.on("response", lambda r: statuses.append(r.status) if r.url.endswith("/logout/") else None)

    page.evaluate("htmx.ajax('POST', '/logout/', {target: 'main', swap: 'none'})")

    page.wait_for_timeout(300)
    assert statuses and statuses[0] != 403
    page.goto(f"{live_server.url}/workbench/")
    assert page.url.startswith(f"{live_server.url}/login/")  # the POST really signed out
