"""The catalogue home (browse by life event, level, theme, department), the portal link to
it, and the open-data exports of the published catalogue."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sanyi.catalog import services
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    units = org_with_centers()
    dibao = published_dibao(units)
    licence = f.item(
        unit=units["dept"],
        status="published",
        author=units["author"],
        reviewer=units["reviewer"],
        name="食品经营许可",
    )
    draft = f.item(unit=units["dept"], author=units["author"], name="尚未发布的事项")
    services.life_event_save(
        actor="系统：测试", name="生活困难求助", items=[dibao.implementation_item]
    )
    return {"units": units, "dibao": dibao, "licence": licence, "draft": draft}


def test_home_browses_by_life_event_level_theme_and_department(client, catalogue):
    response = client.get(reverse("catalog:home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "共2个事项" in html
    assert "生活困难求助" in html and "包含1个事项" in html
    assert "区级" in html and "街道（乡镇）级" in html
    assert "社会救助" in html and "准营准办" in html
    assert catalogue["units"]["dept"].name in html
    assert "?theme=%E7%A4%BE%E4%BC%9A%E6%95%91%E5%8A%A9" in html  # 社会救助
    assert "尚未发布的事项" not in html


def test_home_query_count_is_bounded(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        client.get(reverse("catalog:home"))


def test_empty_catalogue_says_so_plainly(client):
    html = client.get(reverse("catalog:home")).content.decode()

    assert "暂时还没有发布的事项" in html


def test_portal_navigation_links_to_the_catalogue(client):
    html = client.get(reverse("portal:home")).content.decode()

    assert f'href="{reverse("catalog:home")}"' in html
    assert "办事指南" in html


def test_json_export_holds_published_items_only_in_our_format(client, catalogue):
    response = client.get(reverse("catalog:export_json"))

    document = json.loads(response.content)
    assert (document["format"], document["version"]) == ("sanyi-catalog", 1)
    names = {item["name"] for item in document["items"]}
    assert names == {"最低生活保障申请", "食品经营许可"}
    assert all(item["status"] == "published" for item in document["items"])


def test_cpsv_ap_export_describes_every_published_service(client, catalogue):
    response = client.get(reverse("catalog:export_cpsv_ap"))

    assert response["Content-Type"].startswith("application/ld+json")
    document = json.loads(response.content)
    assert document["@context"]["cpsv"] == "http://purl.org/vocab/cpsv#"
    assert document["@context"]["cv"] == "http://data.europa.eu/m8g/"
    services_by_id = {node["dct:identifier"]: node for node in document["@graph"]}
    code = catalogue["dibao"].implementation_item.implementation_code
    assert set(services_by_id) == {
        code,
        catalogue["licence"].implementation_item.implementation_code,
    }
    node = services_by_id[code]
    assert node["@type"] == "cpsv:PublicService"
    assert node["@id"].endswith(reverse("catalog:guide", args=[code]))
    assert node["dct:title"] == {"@value": "最低生活保障申请", "@language": "zh-Hans"}
    assert {e["dct:title"]["@value"] for e in node["cpsv:hasInput"]} >= {"最低生活保障申请书"}
    assert node["cv:hasCompetentAuthority"]["skos:prefLabel"]["@value"] == "城关街道"
    assert node["cv:isGroupedBy"][0]["dct:title"]["@value"] == "生活困难求助"
    assert node["cv:hasCost"][0]["cv:value"] == 0


def test_cpsv_ap_export_command_writes_the_same_document(catalogue, tmp_path):
    target = tmp_path / "catalog.jsonld"

    call_command("catalog", "export-cpsv", str(target), "--base-url", "https://zw.example.cn/")

    document = json.loads(target.read_text(encoding="utf-8"))
    code = catalogue["dibao"].implementation_item.implementation_code
    ids = {node["@id"] for node in document["@graph"]}
    assert f"https://zw.example.cn/services/{code}/" in ids
    assert len(ids) == 2


def test_cpsv_ap_export_command_needs_an_absolute_base_url(catalogue, tmp_path):
    with pytest.raises(CommandError, match="https://"):
        call_command("catalog", "export-cpsv", str(tmp_path / "x.jsonld"), "--base-url", "zw")
