import re

import pytest
from django.urls import reverse

from sanyi.orgs.models import OrgKind
from sanyi.orgs.tests import factories as f

pytestmark = pytest.mark.django_db


def test_center_directory_renders_a_friendly_empty_state_without_org_data(client):
    assert client.get(reverse("portal:home")).status_code == 200

    response = client.get(reverse("portal:centers"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "还没有录入区、街道和社区的服务信息" in html
    assert 'lang="zh-Hans"' in html


def test_center_directory_lists_the_district_and_its_centers(client):
    tree = f.tree()
    district_center = f.center(tree["district"], windows=0)
    district_center.phone = "0591-12345678"
    district_center.save()
    f.center(tree["sub1"], windows=0)
    f.center(tree["comm1"], windows=0)

    html = client.get(reverse("portal:centers")).content.decode()

    assert f"{tree['district'].name}政务服务中心和便民服务站" in html
    assert "区级政务服务中心" in html
    assert district_center.name in html
    assert 'href="tel:0591-12345678"' in html
    assert tree["sub1"].name in html
    assert f"{tree['comm1'].name}便民服务中心" in html
    assert tree["sub2"].name not in html  # no center, no empty heading


def test_center_directory_query_count_does_not_grow_with_centers(
    client, django_assert_max_num_queries
):
    tree = f.tree()
    for unit in (tree["district"], tree["sub1"], tree["sub2"], tree["comm1"], tree["comm2"]):
        f.center(unit, windows=0)
    for _ in range(5):
        f.center(f.unit(tree["sub1"], OrgKind.COMMUNITY), windows=0)

    with django_assert_max_num_queries(3):
        response = client.get(reverse("portal:centers"))

    assert response.status_code == 200
    assert response.content.decode().count('class="card-title"') == 10


def test_pages_carry_the_csp_header_and_no_inline_script_or_style(client):
    tree = f.tree()
    f.center(tree["district"], windows=0)

    for name in ("portal:home", "portal:area", "portal:centers", "portal:login"):
        response = client.get(reverse(name))
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy
        assert "style-src 'self'" in policy
        html = response.content.decode()
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), name
        assert not re.search(r"<style\b", html), name
        assert not re.search(r"\sstyle=", html), name
        assert not re.search(r"\son[a-z]+=", html), name
        assert "//cdn" not in html and "https://" not in html


def test_demo_banner_shows_only_in_demo_mode(client, settings):
    settings.SANYI_DEMO = True
    assert "演示数据，非真实政府信息" in client.get("/").content.decode()

    settings.SANYI_DEMO = False
    assert "演示数据，非真实政府信息" not in client.get("/").content.decode()


def test_large_text_mode_is_rendered_from_the_cookie(client):
    assert 'class="care"' not in client.get("/").content.decode()

    client.cookies["sanyi_care"] = "1"
    html = client.get("/").content.decode()

    assert '<html lang="zh-Hans" class="care">' in html
    assert 'aria-pressed="true"' in html


def test_shell_has_skip_link_and_landmarks(client):
    html = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">跳到主要内容</a>' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html


def test_nav_links_only_to_pages_that_exist(client, monkeypatch):
    from sanyi.core import registry

    monkeypatch.setattr(
        registry,
        "LINKS",
        [*registry.LINKS, registry.PortalLink("尚未上线的栏目", "catalog:nonexistent_page")],
    )

    html = client.get("/").content.decode()

    assert "尚未上线的栏目" not in html
    assert 'aria-current="page">首页</a>' in html
