"""The demand pages and endpoints: who may open them, what they show, how many queries."""

from __future__ import annotations

import json

from django.urls import reverse

from sanyi.analytics.tests.demand_factories import online_case, searches, views
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_f


def _data(fw) -> None:
    searches("猫咪绝育补贴", 3)
    views(fw["item"], 200)
    for _ in range(5):
        online_case(fw, idle_days=10, form=True)
    online_case(fw, submitted=True, returned_with="申请书")


def test_the_demand_page_shows_every_section(client, fw, django_assert_max_num_queries):
    _data(fw)
    client.force_login(org_f.staff(fw["district"], Role.CATALOG_ADMIN))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("workbench:demand:demand"), {"days": "90"})

    page = response.content.decode()
    assert response.status_code == 200
    for text in [
        "居民搜什么",
        "猫咪绝育补贴",
        fw["item"].base_item.name,
        "网上申请在哪一步放弃",
        "申请渠道的变化",
        "窗口高峰时段",
        "最近90天",
    ]:
        assert text in page
    script = page.split('id="channel-shift-data" type="application/json">')[1].split("</script>")[0]
    assert len(json.loads(script)) == 12


def test_the_advice_page_lists_the_suggestions(client, fw, django_assert_max_num_queries):
    _data(fw)
    client.force_login(org_f.staff(fw["district"], Role.CATALOG_ADMIN))

    with django_assert_max_num_queries(20):
        response = client.get(reverse("workbench:demand:advice"))

    page = response.content.decode()
    assert "居民搜索“猫咪绝育补贴”3次但没有找到" in page
    assert 'href="/workbench/search/synonyms/new/?term=' in page
    guide = reverse("workbench:catalog_item", args=[fw["item"].implementation_code])
    assert f'href="{guide}"' in page


def test_a_window_clerk_may_not_open_the_demand_pages(client, fw):
    client.force_login(org_f.staff(fw["district"], Role.WINDOW_CLERK))

    assert client.get(reverse("workbench:demand:demand")).status_code == 403
    assert client.get(reverse("workbench:demand:advice")).status_code == 403


def test_the_api_gives_the_funnel_queries_and_suggestions(client, fw):
    _data(fw)
    client.force_login(fw["supervisor"])

    funnel = client.get(reverse("api:analytics-demand-funnel"), {"days": "30"}).json()
    queries = client.get(reverse("api:analytics-demand-queries")).json()
    advice = client.get(reverse("api:analytics-demand-recommendations")).json()
    wrong = client.get(reverse("api:analytics-demand-funnel"), {"days": "31"})

    [row] = funnel
    assert (row["implementation_code"], row["guide_views"], row["started"]) == (
        fw["item"].implementation_code,
        200,
        6,
    )
    assert queries["poor"][0]["text"] == "猫咪绝育补贴"
    assert {a["kind"] for a in advice} == {"search", "views", "abandon"}
    assert wrong.status_code == 400
