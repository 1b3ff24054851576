"""Improvement suggestions: made from crafted data, absent for clean data, linked to the
page where they are fixed for those who may fix them."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from sanyi.analytics import demand as d
from sanyi.analytics.recommendations import Kind, recommendations
from sanyi.analytics.tests.demand_factories import online_case, searches, views
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f
from sanyi.search.models import Synonym


def _period() -> d.Period:
    return d.Period(days=30, now=timezone.now())


def _admin(fw):
    return org_f.staff(fw["district"], Role.CATALOG_ADMIN)


def test_a_search_that_keeps_finding_nothing_asks_for_a_synonym(fw):
    searches("猫咪绝育补贴", 3)
    searches("敬老卡", 4, result_count=2, poor=True)
    synonym = Synonym.objects.create(term="敬老卡", expansions=["老年人优待证"])

    found = recommendations(viewer=_admin(fw), period=_period())

    assert [(r.kind, r.text) for r in found] == [
        (Kind.SEARCH, "居民搜索“敬老卡”4次，找到的事项名称都对不上：考虑加同义词"),
        (Kind.SEARCH, "居民搜索“猫咪绝育补贴”3次但没有找到：考虑加同义词或补充事项"),
    ]
    assert found[0].url == reverse("workbench:search:synonym_edit", args=[synonym.pk])
    assert found[1].url.startswith(reverse("workbench:search:synonym_create") + "?term=")


def test_many_precheck_returns_name_the_material_and_link_the_guide(fw):
    for _ in range(2):
        online_case(fw, submitted=True, returned_with="申请书")
    online_case(fw, submitted=True, returned_with="身份证明")
    for _ in range(2):
        online_case(fw, submitted=True)

    [found] = recommendations(viewer=_admin(fw), period=_period())

    assert found.kind == Kind.PRECHECK
    name = fw["item"].base_item.name
    assert found.text == f"“{name}”有60%的网上申请预审未通过，最多的是材料“申请书”：请改进办事指南"
    assert found.url == reverse("workbench:catalog_item", args=[fw["item"].implementation_code])


def test_many_guide_views_with_few_applications_and_given_up_drafts_are_suggested(fw):
    views(fw["item"], 200)
    for _ in range(5):
        online_case(fw, idle_days=10, form=True)

    found = recommendations(viewer=fw["supervisor"], period=_period())

    name = fw["item"].base_item.name
    assert [r.kind for r in found] == [Kind.VIEWS, Kind.ABANDON]
    assert "多数停在“填了申请表，没有上传材料”" in found[1].text and name in found[1].text
    # A supervisor does not edit guides: no link.
    assert {r.url for r in found} == {""}


def test_clean_data_gives_no_suggestion(fw):
    searches("猫咪绝育补贴", 2)  # too few
    searches("营业执照", 9, result_count=3)  # found
    views(fw["item"], 40)
    for _ in range(4):
        online_case(fw, submitted=True, form=True, uploaded=True)
    online_case(fw, submitted=True, returned_with="申请书")  # 1 of 5: 20%
    for _ in range(4):
        online_case(fw, idle_days=10)  # four given up: fewer than five

    assert recommendations(viewer=_admin(fw), period=_period()) == []
