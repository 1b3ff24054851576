"""The life-event editor in a real Chromium: a district catalogue admin reorders a life
event's members on a desktop (a dependency placed after its member is refused, naming the
row), and a resident then sees the new order on their phone, while the bundle they had
already submitted keeps its own order under 我的一件事."""

import pytest
from django.urls import reverse

from sanyi.cases.tests import bundle_factories as bf
from sanyi.cases.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from tests.browser.steps import enter_sms_code, follow
from tests.browser.test_case_journey import _axe_problems, _staff_log_in, _watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _settings(settings):
    from sanyi.notify.channels import MemorySmsProvider

    settings.SANYI_REQUIRE_ADMIN_OTP = False
    settings.SANYI_SMS_PROVIDER = "memory"
    MemorySmsProvider.reset()
    yield
    MemorySmsProvider.reset()


def _resident_signs_in(phone, base, resident, next_url):
    phone.goto(f"{base}{reverse('applicants:login')}?next={next_url}")
    phone.get_by_label("证件号码").fill(resident.id_number)
    phone.get_by_label("手机号").fill(resident.phone)
    phone.get_by_role("button", name="获取短信验证码").click()
    enter_sms_code(phone, resident.phone)
    phone.get_by_role("button", name="确认").click()
    phone.wait_for_url(f"**{next_url}")


def _plan(phone) -> list[str]:
    return phone.locator("#plan-title + p + ol > li").all_inner_texts()


def test_admin_reorders_a_life_event_and_the_resident_sees_the_new_order(
    live_server, phone_page, desktop_page
):
    w = f.world()
    event = bf.life_event(w)
    admin = org_f.staff(w["district"], Role.CATALOG_ADMIN)
    resident = f.applicant(name="陈开店", phone="13900005679")
    earlier = bf.apply(w, resident)  # submitted before the change
    base, desk, phone = live_server.url, desktop_page, phone_page
    blocked = _watch_csp(desk) + _watch_csp(phone)
    first, community = w["item"].base_item.name, w["community_item"].base_item.name

    # --- the admin opens the editor; placing the dependant first is refused, by row
    _staff_log_in(desk, base, admin.username)
    desk.goto(f"{base}{reverse('workbench:catalog_life_events')}")
    follow(desk.get_by_role("link", name=event.name))
    assert _axe_problems(desk) == []
    desk.get_by_label("第2行的顺序").fill("1")
    desk.get_by_label("第1行的顺序").fill("2")
    desk.get_by_role("button", name="保存").click()
    summary = desk.locator("#error-summary")
    assert "须排在它前面" in summary.inner_text() and "第1个事项" in summary.inner_text()
    assert _axe_problems(desk) == []

    # --- the community item moves first, the rest keep their dependency
    desk.get_by_label("第1行的顺序").fill("2")
    desk.get_by_label("第2行的顺序").fill("3")
    desk.get_by_label("第3行的顺序").fill("1")
    desk.get_by_role("button", name="保存").click()
    desk.get_by_text(f"“{event.name}”已保存。").wait_for()
    order = desk.locator("#members-title + ol > li").all_inner_texts()
    assert order[0].startswith(community) and order[1].startswith(first)
    assert "预览：群众填的一张表" in desk.content()

    # --- the resident sees the new order on the one form
    apply_url = reverse("cases:bundle_apply", args=[event.pk])
    _resident_signs_in(phone, base, resident, apply_url)
    phone.get_by_label("是").check()
    follow(phone.get_by_role("button", name="下一步"))
    plan = _plan(phone)
    assert plan[0].startswith(community) and plan[1].startswith(first)
    assert _axe_problems(phone) == []

    # --- the bundle submitted before keeps its own order, under 我的一件事
    phone.goto(f"{base}{reverse('applicants:home')}")
    follow(phone.get_by_role("link", name="我的一件事"))
    assert _axe_problems(phone) == []
    items = phone.locator(f"#bundle-{earlier.pk} ~ ol > li").all_inner_texts()
    assert items[0].startswith(first) and items[-1].startswith(community)
    phone.get_by_role("link", name="查看办理进度").click()
    phone.wait_for_url(f"**{reverse('cases:bundle_detail', args=[earlier.number])}")
    assert blocked == []
