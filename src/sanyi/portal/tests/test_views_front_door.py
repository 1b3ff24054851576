"""The front door: search box, my area (chosen, remembered, from an applicant's address),
popular services, life events, the nearest center and the community's notices."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sanyi.applicants.auth import SESSION_KEY
from sanyi.applicants.tests import factories as applicant_f
from sanyi.catalog import services as catalog_services
from sanyi.catalog.tests import factories as catalog_f
from sanyi.openness.tests import factories as open_f
from sanyi.orgs.areas import AREA_COOKIE
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as f
from sanyi.search.services import search_query_log_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def town():
    """Two subdistricts; sub1 and comm1 have centers, comm2 and sub2 have none."""
    tree = open_f.setting()
    tree["district_center"] = f.center(tree["district"], windows=0, phone="0000-1000001")
    tree["sub_center"] = f.center(tree["sub1"], windows=0, phone="0000-1000002")
    tree["comm_center"] = f.center(tree["comm1"], windows=0, phone="0000-1000003")
    return tree


def _choose(client, tree, community="comm1", subdistrict="sub1"):
    return client.post(
        reverse("portal:area"),
        {"subdistrict": tree[subdistrict].code, "community": tree[community].code},
    )


def test_search_box_comes_first_and_submits_q_to_the_public_search(client, town):
    html = client.get("/").content.decode()

    form = re.search(
        r'<form class="home-search" method="get" action="([^"]+)" role="search">', html
    )
    assert form and form.group(1) == reverse("catalog:search")
    assert 'name="q"' in html
    assert html.index("home-search") < html.index('id="my-area"')
    assert '<label for="home-q"' in html


def test_without_area_the_chooser_and_the_district_center_show(client, town):
    html = client.get("/").content.decode()

    assert "我所在的地区" in html
    assert f'<option value="{town["sub1"].code}">{town["sub1"].name}</option>' in html
    assert f'<optgroup label="{town["sub1"].name}">' in html
    assert town["district_center"].name in html
    assert town["sub_center"].name not in html
    assert 'id="notices"' not in html


def test_choosing_an_area_remembers_it_and_goes_back_to_the_front_door(client, town):
    response = _choose(client, town)

    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home") + "#my-area"
    cookie = response.cookies[AREA_COOKIE]
    assert cookie.value == town["comm1"].code
    assert cookie["httponly"] and cookie["samesite"] == "Lax"

    html = client.get("/").content.decode()
    assert f"{town['sub1'].name}{town['comm1'].name}" in html
    assert town["comm_center"].name in html
    assert 'href="tel:0000-1000003"' in html
    assert town["district_center"].name not in html
    assert "清除地区" in html


def test_a_subdistrict_alone_may_be_chosen(client, town):
    response = client.post(
        reverse("portal:area"), {"subdistrict": town["sub1"].code, "community": ""}
    )

    assert response.cookies[AREA_COOKIE].value == town["sub1"].code
    html = client.get("/").content.decode()
    assert town["sub_center"].name in html
    assert town["comm_center"].name not in html


def test_a_community_of_another_subdistrict_is_refused_in_plain_chinese(client, town):
    response = _choose(client, town, community="comm2", subdistrict="sub1")

    assert response.status_code == 400
    assert AREA_COOKIE not in response.cookies
    assert f"所选社区（村）不在{town['sub1'].name}" in response.content.decode()


def test_no_subdistrict_is_refused(client, town):
    response = client.post(reverse("portal:area"), {"subdistrict": "", "community": ""})

    assert response.status_code == 400
    assert "请选择您所在的街道（乡镇）" in response.content.decode()


def test_forgetting_the_area_clears_the_cookie(client, town):
    _choose(client, town)

    response = client.post(reverse("portal:area"), {"forget": "1"})

    assert response.status_code == 302
    assert response.cookies[AREA_COOKIE].value == ""
    assert "清除地区" not in client.get("/").content.decode()


def test_the_area_form_needs_the_csrf_token(town):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)

    response = client.post(
        reverse("portal:area"), {"subdistrict": town["sub1"].code, "community": ""}
    )

    assert response.status_code == 403


def test_choosing_an_area_is_rate_limited(client, town, settings):
    settings.SANYI_RATE_LIMITS = {"portal_area": "2/10"}

    statuses = [_choose(client, town).status_code for _ in range(3)]

    assert statuses == [302, 302, 429]


def test_the_chooser_page_shows_the_current_area_preselected(client, town):
    _choose(client, town)

    html = client.get(reverse("portal:area")).content.decode()

    assert f'<option value="{town["comm1"].code}" selected>{town["comm1"].name}</option>' in html
    assert "现在的地区" in html


def test_a_community_without_a_center_falls_back_to_the_district(client, town):
    _choose(client, town, community="comm2", subdistrict="sub2")

    html = client.get("/").content.decode()

    # neither comm2 nor sub2 has a center: the district's is the nearest
    assert town["district_center"].name in html
    assert town["sub_center"].name not in html


def test_a_community_without_a_center_falls_back_to_its_subdistrict(client, town):
    comm3 = f.unit(town["sub1"], "community")
    client.post(reverse("portal:area"), {"subdistrict": town["sub1"].code, "community": comm3.code})

    html = client.get("/").content.decode()

    assert town["sub_center"].name in html
    assert town["district_center"].name not in html


def test_a_signed_in_applicant_gets_the_area_of_their_address(client, town):
    person = applicant_f.person(address=f"{town['sub1'].name}{town['comm1'].name}幸福路8号")
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()

    html = client.get("/").content.decode()

    assert "根据您登记的联系地址确定" in html
    assert town["comm_center"].name in html
    assert "清除地区" not in html  # nothing chosen on this device to clear


def test_a_chosen_area_wins_over_the_applicants_address(client, town):
    person = applicant_f.person(address=f"{town['sub1'].name}{town['comm1'].name}幸福路8号")
    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()
    _choose(client, town, community="comm2", subdistrict="sub2")

    html = client.get("/").content.decode()

    assert f"{town['sub2'].name}{town['comm2'].name}" in html
    assert "根据您登记的联系地址确定" not in html


def test_notices_are_the_communitys_and_its_subdistricts_newest_first(client, town):
    comm_writer = f.staff(town["comm1"], Role.DISCLOSURE_OFFICER)
    town["comm1"].uscc = f.unique_uscc()
    town["comm1"].save(update_fields=["uscc"])
    older = open_f.published(
        town["sub1"], writer=town["writer"], reviewer=town["reviewer"], title="街道的旧通知"
    )
    newer = open_f.published(
        town["comm1"], writer=comm_writer, reviewer=town["reviewer"], title="社区的新通知"
    )
    open_f.published(
        town["district"], writer=town["writer"], reviewer=town["reviewer"], title="区里的通知"
    )
    open_f.draft(town["comm1"], title="社区的草稿")
    _choose(client, town)

    html = client.get("/").content.decode()

    assert html.index(newer.title) < html.index(older.title)
    assert "区里的通知" not in html
    assert "社区的草稿" not in html
    assert f"{reverse('openness:list')}?unit={town['sub1'].pk}" in html


def test_popular_services_come_from_searches_and_link_the_guide_of_the_area(client, town):
    admin = f.staff(town["district"], Role.CATALOG_ADMIN)
    at_sub1 = catalog_f.item(
        unit=town["sub1"], status="published", name="居住证办理", reviewer=admin
    )
    catalog_f.item(unit=town["district"], status="published", name="不动产登记", reviewer=admin)
    for _ in range(3):
        search_query_log_create(
            text="居住证",
            kinds=["catalog.item"],
            filters={},
            result_count=2,
            took_ms=3,
            is_anonymous=True,
        )
    search_query_log_create(
        text="无人问津",
        kinds=["catalog.item"],
        filters={},
        result_count=0,
        took_ms=3,
        is_anonymous=True,
    )

    html = client.get("/").content.decode()

    code = at_sub1.implementation_item.implementation_code
    assert f'href="{reverse("catalog:guide", args=[code])}">居住证办理</a>' in html
    assert "不动产登记" not in html.split('id="popular-title"')[1].split("</section>")[0]
    assert "无人问津" not in html

    # a resident of sub2 cannot use sub1's item: it is not offered there
    _choose(client, town, community="comm2", subdistrict="sub2")
    html = client.get("/").content.decode()
    assert "居住证办理" not in html
    # nobody applied in sub2: the list is the district's, and the heading does not claim
    # otherwise
    assert f"{town['sub2'].name}居民常办" not in html


def test_life_events_show_as_tiles_linking_to_their_pages(client, town):
    admin = f.staff(town["district"], Role.CATALOG_ADMIN)
    version = catalog_f.item(unit=town["district"], status="published", reviewer=admin)
    event = catalog_services.life_event_save(
        actor="系统：测试", name="新生儿出生", items=[version.implementation_item]
    )
    catalog_services.life_event_save(actor="系统：测试", name="没有事项的一件事", items=[])

    html = client.get("/").content.decode()

    assert f'href="{reverse("catalog:life_event", args=[event.pk])}"' in html
    assert "新生儿出生" in html
    assert "没有事项的一件事" not in html


@pytest.mark.parametrize("with_area", [False, True], ids=["no-area", "area"])
def test_front_door_query_count_is_bounded(client, town, with_area, django_assert_max_num_queries):
    admin = f.staff(town["district"], Role.CATALOG_ADMIN)
    for n in range(6):
        catalog_f.item(unit=town["sub1"], status="published", name=f"常办事项{n}", reviewer=admin)
        search_query_log_create(
            text=f"常办事项{n}",
            kinds=["catalog.item"],
            filters={},
            result_count=1,
            took_ms=1,
            is_anonymous=True,
        )
    for _ in range(4):
        open_f.published(town["sub1"], writer=town["writer"], reviewer=town["reviewer"])
    for _ in range(3):
        f.center(f.unit(town["sub1"], "community"), windows=0)
    if with_area:
        _choose(client, town)

    with django_assert_max_num_queries(11):
        response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("常办事项") == 6


def test_the_center_directory_moved_to_its_own_page(client, town):
    html = client.get("/").content.decode()
    assert f'href="{reverse("portal:centers")}"' in html

    html = client.get(reverse("portal:centers")).content.decode()
    assert town["comm_center"].name in html
    assert town["sub_center"].name in html
