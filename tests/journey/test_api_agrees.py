"""/api/v1/ gives a program the same answers the pages give a resident: the same top
result for the same query and area, and the same "看看我能不能办" verdict and reason."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.journey.town import AGE_REASON, build_town, code_of

pytestmark = pytest.mark.django_db
RESULT_LINK = re.compile(r'<h2[^>]*>\s*<a href="([^"]+)"', re.S)
QUERIES = ["开饭店", "低保", "高龄补贴", "个体户"]


@pytest.fixture
def town(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_town()


def _page_top(client, text: str, area: str) -> str:
    html = client.get(reverse("catalog:search"), {"q": text, "area": area}).content.decode()
    return unescape(RESULT_LINK.search(html[html.index('class="result-list"') :]).group(1))


def _api_top(client, text: str, area: str) -> str:
    response = client.get("/api/v1/catalog/search/", {"q": text, "area": area})
    assert response.status_code == 200
    return response.json()["results"][0]["url"]


@pytest.mark.parametrize("area_key", ["home_community", "east"])
@pytest.mark.parametrize("text", QUERIES)
def test_the_api_and_the_search_page_put_the_same_item_first(client, town, text, area_key):
    area = town[area_key].code

    assert _api_top(client, text, area) == _page_top(client, text, area)


def test_for_dibao_both_open_the_guide_of_the_residents_own_subdistrict(client, town):
    for area_key, version in (("home_community", "dibao"), ("east_community", "east_dibao")):
        expected = reverse("catalog:guide", args=[code_of(town[version])])
        area = town[area_key].code

        assert _page_top(client, "低保", area) == expected
        assert _api_top(client, "低保", area) == expected


@pytest.mark.parametrize(
    ("age", "eligible"), [("72", False), ("79", False), ("80", True), ("95", True)]
)
def test_the_api_and_the_guide_page_give_the_same_verdict(client, town, age, eligible):
    code = code_of(town["gaoling"])
    answers = {"applicant_kind": "person", "age": age, "area": town["home_community"].code}

    page = client.post(reverse("catalog:eligibility", args=[code]), answers).content.decode()
    api = client.post(
        f"/api/v1/catalog/items/{code}/eligibility/",
        {**answers, "age": int(age)},
        content_type="application/json",
    ).json()

    assert api["eligible"] is eligible
    assert ("<strong>您符合这个事项的受理条件，可以申请。</strong>" in page) is eligible
    assert (AGE_REASON in page) is (not eligible)
    assert api["reasons"] == ([] if eligible else [AGE_REASON])
