"""The quality page, the reduction report page with its downloads, and the zero-result
search queries."""

import datetime as dt
import io
import json

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sanyi.catalog.reports import percent_text
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.tests.staff_support import (
    catalog_world,
    good_guide,
    login,
    url,
)
from sanyi.search.models import SearchQueryLog
from sanyi.search.services import search_query_log_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


def test_quality_counts_by_rule_unit_and_level(client, world, django_assert_max_num_queries):
    catalog_factories.item(
        unit=world["dept"], author=world["author"], guide=good_guide(complaint_phone="")
    )
    catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    client.get(url("catalog_quality"), {"status": "draft"})
    with django_assert_max_num_queries(16):
        response = client.get(url("catalog_quality"), {"status": "draft"})
    summary = response.context["summary"]
    assert summary["checked"] == 2 and summary["clean"] == 1
    assert {r["code"]: r["count"] for r in summary["by_rule"]}["L012"] == 1
    dept_row = next(r for r in summary["by_unit"] if r["unit_id"] == world["dept"].pk)
    assert dept_row["errors"] == 1
    assert summary["by_level"][0]["versions"] == 2


def test_quality_drill_down_by_rule(client, world):
    bad = catalog_factories.item(
        unit=world["dept"],
        author=world["author"],
        name="投诉电话缺失",
        guide=good_guide(complaint_phone=""),
    )
    catalog_factories.item(unit=world["dept"], author=world["author"], name="没有问题的事项")
    login(client, world["author"])
    response = client.get(url("catalog_quality"), {"status": "draft", "rule": "L012"})
    drill = response.context["drill"]
    assert [row["version"].pk for row in drill] == [bad.pk]
    html = response.content.decode()
    assert "投诉电话缺失" in html and "没有问题的事项" not in html
    assert url("catalog_version", bad.pk) in html


def test_reduction_page_and_downloads(client, world):
    catalog_factories.item(
        unit=world["dept"], author=world["author"], reviewer=world["reviewer"], status="published"
    )
    login(client, world["author"])
    page = client.get(url("catalog_reduction"))
    assert page.status_code == 200
    assert page.context["report"].total.items == 1
    assert "零跑动事项" in page.content.decode()

    as_json = client.get(url("catalog_reduction"), {"format": "json"})
    assert as_json["Content-Type"].startswith("application/json")
    assert json.loads(as_json.content)["total"]["items"] == 1

    as_xlsx = client.get(url("catalog_reduction"), {"format": "xlsx", "unit": world["dept"].pk})
    assert "attachment" in as_xlsx["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(as_xlsx.content))
    assert workbook.sheetnames == ["总体", "按事项类型", "按实施主体", "按层级"]
    assert workbook["总体"]["B2"].value == 1


def test_reduction_for_an_empty_unit(client, world):
    login(client, world["author"])
    response = client.get(url("catalog_reduction"), {"unit": world["sub2"].pk, "format": "json"})
    assert json.loads(response.content)["total"]["items"] == 0


def test_zero_result_queries_are_listed(client, world):
    kinds = ["catalog.item", "catalog.life_event"]
    for text, found in (("开饭店", 0), ("开饭店", 0), ("生孩子", 3), ("很久以前", 0)):
        search_query_log_create(
            text=text, kinds=kinds, filters={}, result_count=found, took_ms=5, is_anonymous=True
        )
    SearchQueryLog.objects.filter(text="很久以前").update(
        created_at=timezone.now() - dt.timedelta(days=60)
    )
    login(client, world["author"])
    rows = client.get(url("catalog_zero_results")).context["rows"]
    assert [(r.text, r.zero_result_count) for r, _ in rows] == [("开饭店", 2)]
    rows = client.get(url("catalog_zero_results"), {"days": "90"}).context["rows"]
    assert {r.text for r, _ in rows} == {"开饭店", "很久以前"}


def test_reduction_page_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    for _ in range(5):
        catalog_factories.item(
            unit=world["dept"],
            author=world["author"],
            reviewer=world["reviewer"],
            status="published",
        )
    login(client, world["author"])
    client.get(url("catalog_reduction"))
    with django_assert_max_num_queries(16):
        response = client.get(url("catalog_reduction"))
    assert response.context["report"].total.items == 5


def test_reduction_ratios_read_as_percentages(client, world):
    catalog_factories.item(
        unit=world["dept"], author=world["author"], reviewer=world["reviewer"], status="published"
    )
    login(client, world["author"])
    page = client.get(url("catalog_reduction"))
    ratio = page.context["report"].total.mean_time_ratio
    assert ratio is not None and 0 < ratio <= 1
    html = page.content.decode()
    assert percent_text(ratio) in html
    assert f">{ratio}<" not in html
    assert dict(page.context["total_rows"])["承诺时限/法定时限（平均）"].endswith("%")
    assert page.context["by_unit"][0]["mean_time_ratio"].endswith("%")

    workbook = load_workbook(
        io.BytesIO(client.get(url("catalog_reduction"), {"format": "xlsx"}).content)
    )
    cell = next(
        r[1] for r in workbook["总体"].iter_rows() if r[0].value == "承诺时限/法定时限（平均）"
    )
    assert cell.value == ratio and cell.number_format == "0.0%"


def test_percent_text_has_one_decimal():
    assert percent_text(0.5715) == "57.2%"
    assert percent_text(1) == "100.0%"
    assert percent_text(None) is None


def test_quality_pages_name_each_rule_beside_its_code(client, world):
    bad = catalog_factories.item(
        unit=world["dept"], author=world["author"], guide=good_guide(complaint_phone="")
    )
    login(client, world["author"])
    drill = client.get(url("catalog_quality"), {"status": "draft", "rule": "L012"})
    assert "L012 咨询电话与投诉电话" in drill.content.decode()
    detail = client.get(url("catalog_version", bad.pk)).content.decode()
    assert "<code>L012</code> 咨询电话与投诉电话" in detail


def test_quality_page_scores_each_guide_for_readability(client, world):
    plain = catalog_factories.item(unit=world["dept"], author=world["author"], name="通俗的事项")
    stiff = catalog_factories.item(
        unit=world["dept"],
        author=world["author"],
        name="难懂的事项",
        guide=good_guide(
            acceptance_conditions=(
                "对不符合条件的申请不予受理并一次性告知，逾期不予许可；"
                "窗口进行审核工作后予以办理；申请人的户籍的证明的复印件须核验后送达。"
            )
        ),
    )
    login(client, world["author"])
    response = client.get(url("catalog_quality"), {"status": "draft"})
    rows = response.context["readability_rows"]
    assert [r["version_id"] for r in rows] == [stiff.pk, plain.pk]  # lowest first
    assert not rows[0]["passes"] and rows[1]["passes"]
    html = response.content.decode()
    assert "通俗易懂（可读性得分）" in html and f"{rows[0]['score']}分 未达标" in html
    assert {r["code"]: r["count"] for r in response.context["summary"]["by_rule"]}["L022"] == 1
