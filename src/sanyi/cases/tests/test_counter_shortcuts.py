"""The counter's keyboard shortcuts: single keys (data-shortcut) shown as <kbd> on the
button, explained once on the page, never two elements on one key, and no HTML accesskey
(which needs Alt or Alt+Shift and is not what the labels promise)."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from sanyi.cases.tests.test_pages_counter import _accept_data, _walk_in

pytestmark = pytest.mark.django_db
SHORTCUT = re.compile(r'data-shortcut="([^"]+)"')


def _check(html: str, where: str) -> list[str]:
    keys = SHORTCUT.findall(html)
    doubles = [k for k, n in Counter(keys).items() if n > 1]
    assert doubles == [], f"{where}: keys bound twice: {doubles}"
    assert "accesskey" not in html, f"{where}: still uses accesskey"
    for key in keys:
        assert f"<kbd>{key.upper()}</kbd>" in html, f"{where}: key {key} not shown"
    if keys:
        assert "data-shortcut-help" in html, f"{where}: shortcuts not explained"
    return keys


@pytest.fixture
def clerk(client, w):
    client.force_login(w["clerk"])
    return client


def test_counter_pages_bind_each_key_once(clerk, w):
    # given: a walk-in accepted, and an instant item waiting at the acceptance screen
    case = _walk_in(clerk, w, w["item"])
    accept_url = reverse("workbench:cases:counter_accept", args=[case.number])
    clerk.post(accept_url, _accept_data(case))
    instant = _walk_in(clerk, w, w["instant_item"])
    pages = {
        "home": reverse("workbench:cases:counter"),
        "walk_in": reverse("workbench:cases:counter_walk_in"),
        "precheck": reverse("workbench:cases:counter_precheck_queue"),
        "pickup": reverse("workbench:cases:counter_pickup"),
        "accept_instant": reverse("workbench:cases:counter_accept", args=[instant.number]),
        "receipt": reverse("workbench:cases:counter_receipt", args=[case.number]),
    }

    seen = {}
    for name, url in pages.items():
        response = clerk.get(url)
        assert response.status_code == 200, name
        seen[name] = _check(response.content.decode(), name)

    # then: the receipt prints with Y and the navigation keeps N and P to itself
    assert set(seen["receipt"]) >= {"n", "p", "y"}
    assert "i" in seen["accept_instant"]
