"""The front door from the page cache (core.pagecache): one copy per chosen area, and the
area form keeps working: its CSRF token is made for each response, never cached."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sanyi.openness.tests import factories as open_f
from sanyi.orgs.areas import AREA_COOKIE
from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tree = open_f.setting()
        tree["sub_center"] = f.center(tree["sub1"], windows=0, name="一街道便民服务中心")
        tree["other_center"] = f.center(tree["sub2"], windows=0, name="二街道便民服务中心")
    return tree


def _token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_front_door_holds_a_form_token_so_only_the_browser_may_keep_it(client, town):
    client.get("/")

    response = client.get("/")

    assert response.cookies["csrftoken"]
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_area_form_of_a_cached_front_door_posts_with_its_own_token(town):
    client = Client(enforce_csrf_checks=True)
    first = _token(client.get("/").content.decode())
    second = _token(client.get("/").content.decode())  # from the cache

    response = client.post(
        reverse("portal:area"),
        {"subdistrict": town["sub1"].code, "community": "", "csrfmiddlewaretoken": second},
    )

    assert first != second
    assert response.status_code == 302


def test_each_area_gets_its_own_front_door(client, town):
    client.cookies[AREA_COOKIE] = town["sub1"].code
    client.get("/")
    one = client.get("/").content.decode()
    client.cookies[AREA_COOKIE] = town["sub2"].code
    two = client.get("/").content.decode()

    assert "一街道便民服务中心" in one and "二街道便民服务中心" not in one
    assert "二街道便民服务中心" in two and "一街道便民服务中心" not in two
