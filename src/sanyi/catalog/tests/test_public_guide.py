"""The public guide page: only the version in force, the six questions at the top, the
flowchart, the official elements, JSON-LD, query count and HTTP caching."""

import datetime as dt
import json
import re

import pytest
from django.urls import reverse

from sanyi.catalog import services
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return org_with_centers()


def _url(version: ItemVersion) -> str:
    return reverse("catalog:guide", args=[version.implementation_item.implementation_code])


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_published_guide_answers_the_six_questions_in_plain_chinese(client, units):
    version = published_dibao(units)

    response = client.get(_url(version))

    assert response.status_code == 200
    html = _text(response)
    for heading in ("谁可以办", "要带什么", "多久办好", "跑几次", "在哪里办、什么时候办", "收费吗"):
        assert heading in html
    assert "家庭人均收入低于本区最低生活保障标准" in html
    assert "承诺10个工作日内办结" in html
    assert "法定时限：20个工作日" in html
    assert "比法定时限缩短50%" in html
    assert "最多跑1次" in html
    assert "不收费" in html


def test_checklist_separates_shared_data_and_marks_deferrable_materials(client, units):
    version = published_dibao(units)

    html = _text(client.get(_url(version)))

    to_bring = html.split('aria-label="需要带的材料"')[1].split("</ul>")[0]
    assert "最低生活保障申请书" in to_bring
    assert "家庭收入申报表" in to_bring
    assert "容缺：可先受理，后补交" in to_bring
    assert "居民户口簿" not in to_bring
    shared = html.split("这些不用带（部门通过数据共享获取）")[1].split("</ul>")[0]
    assert "居民户口簿" in shared


def test_where_lists_the_implementing_units_own_service_center(client, units):
    version = published_dibao(units)

    html = _text(client.get(_url(version)))

    where = html.split('id="where-title"')[1].split("</section>")[0]
    assert units["sub_center"].name in where
    assert "城关路10号" in where
    assert units["district_center"].name not in where


def test_a_department_item_is_handled_at_the_district_center(client, units):
    version = f.item(
        unit=units["dept"],
        status="published",
        author=units["author"],
        reviewer=units["reviewer"],
        name="食品经营许可",
    )

    html = _text(client.get(_url(version)))

    assert "测试区政务服务中心" in html
    assert "人民路9号" in html


def test_flowchart_is_an_svg_with_title_and_desc_and_a_text_list(client, units):
    version = published_dibao(units)

    html = _text(client.get(_url(version)))

    svg = html.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert "<title" in svg and "最低生活保障申请办理流程图" in svg
    assert "<desc" in svg and "共2个环节：受理→审批" in svg
    steps = html.split('aria-label="办理流程文字说明"')[1].split("</ol>")[0]
    assert "第1步：受理" in steps and "综合窗口" in steps and "1个工作日" in steps
    assert "第2步：审批" in steps and "9个工作日" in steps
    assert 'role="list"' in html.split('aria-label="办理流程文字说明"')[0][-200:]


def test_full_official_elements_are_listed(client, units):
    version = published_dibao(units)

    html = _text(client.get(_url(version)))

    elements = html.split('id="elements-title"')[1]
    for label in (
        "事项名称",
        "基本编码",
        "实施编码",
        "事项类型",
        "设定依据",
        "权力来源",
        "行使层级",
        "实施主体",
        "受理条件",
        "法定办结时限",
        "承诺办结时限",
        "办件类型",
        "到办事现场次数",
        "办理形式",
        "办理流程",
        "办理地点",
        "办理时间",
        "是否收费",
        "咨询电话",
        "监督投诉电话",
        "服务对象",
        "事项版本",
        "事项状态",
        "网办深度",
        "审批结果名称",
        "材料类型",
        "受理标准",
    ):
        assert f">{label}<" in elements, label
    assert version.implementation_item.implementation_code in elements
    assert "《社会救助暂行办法》第十一条" in elements


@pytest.mark.parametrize("status", ["draft", "in_review", "approved"])
def test_versions_not_yet_published_are_not_public(client, units, status):
    version = f.item(unit=units["dept"], status=status, author=units["author"])

    response = client.get(_url(version))

    assert response.status_code == 404


def test_a_cancelled_item_is_no_longer_public(client, units):
    version = published_dibao(units)

    services.item_cancel(
        actor=units["author"],
        implementation_item=version.implementation_item,
        planned_cancel_on=dt.date(2020, 1, 1),
        reason="职能调整",
    )

    assert client.get(_url(version)).status_code == 404


def test_only_the_version_in_force_is_shown_not_a_newer_draft(client, units):
    version = published_dibao(units)
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=version.implementation_item
    )
    services.item_version_update(actor=units["author"], version=draft, guide={"hours": "草稿时间"})

    html = _text(client.get(_url(version)))

    assert "草稿时间" not in html
    assert "工作日 9:00-17:00" in html


def test_guide_page_query_count_is_bounded(client, units, django_assert_max_num_queries):
    version = published_dibao(units)
    url = _url(version)

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert response.status_code == 200


def test_page_carries_government_service_json_ld(client, units):
    version = published_dibao(units)

    html = client.get(_url(version)).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block.group(1))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "GovernmentService"
    assert data["name"] == "最低生活保障申请"
    assert data["identifier"] == version.implementation_item.implementation_code
    assert data["provider"]["name"] == units["street"].name
    assert (
        data["availableChannel"][0]["serviceLocation"]["address"]["streetAddress"] == "城关路10号"
    )
    assert data["offers"][0]["price"] == "0"


def test_json_ld_cannot_break_out_of_its_script_element(client, units):
    version = published_dibao(
        units, acceptance_conditions="申请人</script><script>alert(1)</script>"
    )

    html = client.get(_url(version)).content.decode()

    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block
    assert "申请人\\u003C/script\\u003E" in block


def test_page_is_served_under_the_strict_csp(client, units):
    version = published_dibao(units)

    response = client.get(_url(version))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    # The one inline block is JSON-LD data, which browsers never execute.
    assert inline == [' type="application/ld+json"']
    assert not re.search(r"<style\b", html)
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_unchanged_guide_answers_304_to_its_etag(client, units):
    version = published_dibao(units)
    first = client.get(_url(version))

    again = client.get(_url(version), HTTP_IF_NONE_MATCH=first["ETag"])
    since = client.get(_url(version), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert first["ETag"] and first["Last-Modified"]
    assert "no-cache" in first["Cache-Control"]
    assert again.status_code == 304
    assert since.status_code == 304


def test_publishing_a_new_version_invalidates_the_cached_page(client, units):
    version = published_dibao(units)
    first = client.get(_url(version))
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=version.implementation_item
    )
    services.item_version_update(
        actor=units["author"], version=draft, guide={"hours": "工作日 8:00-18:00"}
    )
    services.item_version_submit(actor=units["author"], version=draft)
    services.item_version_review(actor=units["reviewer"], version=draft, approve=True)
    services.item_version_publish(actor=units["author"], version=draft)

    response = client.get(_url(version), HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert response["ETag"] != first["ETag"]
    assert "工作日 8:00-18:00" in response.content.decode()


def test_large_text_mode_gets_its_own_etag(client, units):
    version = published_dibao(units)
    normal = client.get(_url(version))

    client.cookies["sanyi_care"] = "1"
    care = client.get(_url(version), HTTP_IF_NONE_MATCH=normal["ETag"])

    assert care.status_code == 200
    assert 'class="care"' in care.content.decode()
    assert "Cookie" in care["Vary"]


def test_a_legacy_script_link_is_never_rendered_as_a_link(client, units):
    # given a published version whose link was stored before services refused such links
    version = published_dibao(units)
    ItemVersion.objects.filter(pk=version.pk).update(online_url="javascript:alert(document.domain)")

    response = client.get(_url(version))

    # then the text may show, but no href carries the script (it used to appear twice)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="javascript:' not in html
    assert not re.search(r"href=\"\s*javascript", html, re.IGNORECASE)
    assert html.count('href="#" rel="noopener"') == 2
