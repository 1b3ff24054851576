"""Steps the browser tests share, written so that they wait for what a click starts.

A plain ``click()`` returns once the click is dispatched, not once the page it asked for
has loaded. Reading the page straight after it (its address, a count, an axe check) races
the navigation and, on a busy machine, reads the old page. ``follow`` waits for the new
page; ``enter_sms_code`` waits for the code page before reading the text message that
the server sent."""

import re

from playwright.sync_api import Locator, Page

from sanyi.notify.channels import MemorySmsProvider


def follow(target: Locator) -> None:
    """Click a link or a button that loads a new page, and wait until that page has
    loaded."""
    with target.page.expect_navigation():
        target.click()


def newest_sms_code(phone: str) -> str:
    """The code in the newest text message sent to ``phone``."""
    texts = [sms.text for sms in MemorySmsProvider.sent if sms.phone == phone]
    assert texts, f"no code was sent to {phone}"
    match = re.search(r"验证码(\d{6})", texts[-1])
    assert match, texts[-1]
    return match.group(1)


def enter_sms_code(page: Page, phone: str) -> None:
    """On the page that asks for the code just sent: wait for it, then type the code."""
    field = page.get_by_label("短信验证码")
    field.wait_for()
    field.fill(newest_sms_code(phone))
