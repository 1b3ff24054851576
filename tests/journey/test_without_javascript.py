"""A new resident's journey with plain forms only (no JavaScript), through the Django test
client: the front door's area form, its search box, one 低保 result that opens their own
subdistrict's guide, and the 高龄津贴 answer posted to the server, in normal and large
text."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from sanyi.catalog.web.public import CARE_COOKIE
from tests.journey.town import AGE_REASON, build_town, code_of

pytestmark = pytest.mark.django_db
FORM = re.compile(r"<form\b[^>]*>.*?</form>", re.S)
RESULT_LINK = re.compile(r'<h2[^>]*>\s*<a href="([^"]+)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def town(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_town()


def _form_with(html: str, needle: str) -> str:
    return next(form for form in FORM.findall(html) if needle in form)


def _action(form: str) -> str:
    return unescape(re.search(r'action="([^"]*)"', form).group(1))


def _results(html: str) -> list[tuple[str, str]]:
    section = html[html.index('class="result-list"') :]
    return [
        (unescape(url), re.sub(r"<[^>]+>", "", title).strip())
        for url, title in RESULT_LINK.findall(section)
    ]


def _search_from_home(client, text: str) -> str:
    home = client.get("/").content.decode()
    form = _form_with(home, 'name="q"')
    assert 'method="get"' in form
    response = client.get(f"{_action(form)}?{urlencode({'q': text})}")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("care", [False, True], ids=["normal", "large-text"])
def test_the_whole_journey_works_with_plain_forms(client, town, care):
    if care:
        client.cookies[CARE_COOKIE] = "1"
    home = client.get("/").content.decode()
    area_form = _form_with(home, 'name="subdistrict"')
    assert 'method="post"' in area_form
    response = client.post(
        _action(area_form),
        {
            "subdistrict": town["street"].code,
            "community": town["home_community"].code,
        },
    )
    assert response.status_code == 302
    home = client.get(response["Location"]).content.decode()
    assert "城关街道幸福社区" in home

    found = _results(_search_from_home(client, "开饭店"))
    titles = [title for _url, title in found]
    assert titles[0] in ("开办餐饮店", "个体工商户设立登记"), titles
    assert {"开办餐饮店", "个体工商户设立登记"} <= set(titles[:3]), titles

    html = _search_from_home(client, "低保")
    found = _results(html)
    assert len(found) == 1, found
    assert "按您所在的地区，在城关街道办理" in html
    assert found[0][0] == reverse("catalog:guide", args=[code_of(town["dibao"])])
    assert client.get(found[0][0]).status_code == 200

    found = _results(_search_from_home(client, "高龄津贴"))
    guide_url = {title: url for url, title in found}["高龄津贴申请"]
    guide = client.get(guide_url).content.decode()
    panel = _form_with(guide, 'name="age"')
    # the front door's area is already the answer to where the resident lives
    assert f'value="{town["home_community"].code}"' in panel
    assert re.search(rf'value="{town["home_community"].code}"[^>]*selected', panel)

    response = client.post(
        _action(panel),
        {"applicant_kind": "person", "age": "72", "area": town["home_community"].code},
    )
    assert response.status_code == 200
    assert AGE_REASON in response.content.decode()

    response = client.post(
        _action(panel),
        {"applicant_kind": "person", "age": "85", "area": town["home_community"].code},
    )
    html = response.content.decode()
    assert AGE_REASON not in html
    assert "<strong>您符合这个事项的受理条件，可以申请。</strong>" in html


def test_another_towns_resident_gets_their_own_guide(client, town):
    client.post(
        reverse("portal:area"),
        {"subdistrict": town["east"].code, "community": town["east_community"].code},
    )

    found = _results(_search_from_home(client, "低保"))

    assert [url for url, _title in found] == [
        reverse("catalog:guide", args=[code_of(town["east_dibao"])])
    ]


def test_the_guide_page_changes_with_the_chosen_area_so_caches_do_not_mix_them(client, town):
    guide_url = reverse("catalog:guide", args=[code_of(town["gaoling"])])
    first = client.get(guide_url)
    client.post(
        reverse("portal:area"),
        {"subdistrict": town["street"].code, "community": town["home_community"].code},
    )

    again = client.get(guide_url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
