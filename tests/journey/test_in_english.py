"""The same journey with the footer's English switch: the front door, the area chooser,
the search page (one result per area, did-you-mean) and the eligibility panel speak
English; the names of units and services stay as the catalogue has them."""

import pytest
from django.urls import reverse

from tests.journey.town import build_town, code_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def town(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return build_town()


@pytest.fixture
def english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


def test_the_front_door_and_the_area_chooser_are_in_english(english, town):
    home = english.get("/").content.decode()

    assert "What do you need to do?" in home
    assert "Save my area" in home
    assert "Subdistrict (town)" in home
    assert "您要办什么事？" not in home
    chooser = english.get(reverse("portal:area")).content.decode()
    assert "My area" in chooser and "我所在的地区" not in chooser


def test_search_results_and_the_area_question_are_in_english(english, town):
    html = english.get(reverse("catalog:search"), {"q": "低保"}).content.decode()

    assert "Search service guides" in html
    assert "Where will you apply?" in html
    assert "Remember and show" in html
    assert "您在哪里办理？" not in html

    english.post(
        reverse("portal:area"),
        {"subdistrict": town["street"].code, "community": town["home_community"].code},
    )
    html = english.get(reverse("catalog:search"), {"q": "低保"}).content.decode()
    assert "For your area, apply at 城关街道." in html
    assert "1 result found, shown for your area (城关街道幸福社区)" in html


def test_did_you_mean_and_no_results_are_in_english(english, town):
    html = english.get(reverse("catalog:search"), {"q": "低宝"}).content.decode()

    assert "Did you mean: " in html
    assert "低保" in html


def test_the_eligibility_panel_is_in_english(english, town):
    code = code_of(town["gaoling"])
    guide = english.get(reverse("catalog:guide", args=[code])).content.decode()

    assert "Check whether I can apply" in guide
    assert "How old are you (full years)?" in guide
    assert "Individual" in guide
    assert "看看我能不能办" not in guide

    answer = english.post(
        reverse("catalog:eligibility", args=[code]),
        {"applicant_kind": "person", "age": "85", "area": town["home_community"].code},
    ).content.decode()
    assert "<strong>You meet the conditions for this service and can apply.</strong>" in answer
