"""The catalogue in the search index (follows publish, new versions, cancellation and life
events on commit) and the resident search page."""

import datetime as dt
import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse

from sanyi.catalog import services
from sanyi.catalog.indexing import ITEM_KIND, LIFE_EVENT_KIND, catalog_reindex
from sanyi.catalog.tests import factories as f
from sanyi.catalog.tests.public_factories import org_with_centers, published_dibao
from sanyi.search import lexicon, ranking
from sanyi.search.models import SearchDocument
from sanyi.search.tests.factories import planner_statements

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_lexicon():
    cache.delete(lexicon.VERSION_KEY)
    lexicon.lexicon_reset()
    yield
    lexicon.lexicon_reset()


@pytest.fixture
def units():
    return org_with_centers()


@pytest.fixture
def dibao(units, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return published_dibao(units)


def _search(client, **params):
    return client.get(reverse("catalog:search"), params)


def _docs(kind=ITEM_KIND):
    return SearchDocument.objects.filter(kind=kind)


def test_publishing_indexes_the_item_with_its_facets(dibao, units):
    doc = _docs().get()

    assert doc.object_id == dibao.implementation_item.implementation_code
    assert doc.title == "最低生活保障申请"
    assert doc.is_public
    assert doc.url == reverse("catalog:guide", args=[doc.object_id])
    facets = {(x.name, x.value) for x in doc.facets.all()}
    assert ("level", "5") in facets
    assert ("theme", "社会救助") in facets
    assert ("service_center", units["sub_center"].name) in facets
    assert "最低生活保障申请书" in doc.body


def test_residents_word_finds_the_item_with_time_and_visits(client, dibao):
    response = _search(client, q="低保")

    html = response.content.decode()
    assert response.status_code == 200
    assert "共找到 1 条结果" in html
    assert reverse("catalog:guide", args=[dibao.implementation_item.implementation_code]) in html
    assert "承诺10个工作日内办结" in html
    assert "最多跑1次" in html


def test_filters_narrow_results_and_show_their_labels(
    client, units, dibao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        f.item(
            unit=units["dept"],
            status="published",
            author=units["author"],
            reviewer=units["reviewer"],
            name="最低生活保障金发放",
            item_type="05",
        )

    both = _search(client, q="最低生活保障").content.decode()
    only_street = _search(client, q="最低生活保障", level="5").content.decode()

    assert "共找到 2 条结果" in both
    assert "街道（乡镇）级（1）" in both and "区级（1）" in both
    assert "共找到 1 条结果" in only_street
    assert "筛选条件：" in only_street and "街道（乡镇）级" in only_street
    assert "最低生活保障金发放" not in only_street


def test_zero_results_explain_what_to_try_next(client, dibao):
    html = _search(client, q="火星移民").content.decode()

    assert "没有找到与“火星移民”有关的事项" in html
    assert "换个说法" in html
    assert "12345" in html
    assert "?q=%E4%BD%8E%E4%BF%9D" in html  # a common word to try: 低保


def test_empty_search_invites_a_query(client, dibao):
    html = _search(client).content.decode()

    assert "请输入要办的事" in html
    assert "共找到" not in html


def test_too_long_a_query_is_refused_in_plain_chinese(client, dibao):
    html = _search(client, q="长" * 101).content.decode()

    assert "搜索内容不能超过100个字" in html


def test_search_page_query_count_is_bounded(client, dibao, django_assert_max_num_queries):
    _search(client, q="低保")  # the lexicon loads once per process

    with django_assert_max_num_queries(6 + planner_statements()):
        response = _search(client, q="低保", level="5")

    assert response.status_code == 200


def test_a_new_version_replaces_what_the_index_says(
    units, dibao, django_capture_on_commit_callbacks
):
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=dibao.implementation_item
    )
    services.item_version_update(
        actor=units["author"], version=draft, guide={"themes_person": ["养老服务"]}
    )
    services.item_version_submit(actor=units["author"], version=draft)
    services.item_version_review(actor=units["reviewer"], version=draft, approve=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.item_version_publish(actor=units["author"], version=draft)

    themes = set(_docs().get().facets.filter(name="theme").values_list("value", flat=True))
    assert themes == {"养老服务"}


def test_cancelling_an_item_removes_it_from_search(
    client, units, dibao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.item_cancel(
            actor=units["author"],
            implementation_item=dibao.implementation_item,
            planned_cancel_on=dt.date(2020, 1, 1),
            reason="职能调整",
        )

    assert not _docs().exists()
    assert "没有找到" in _search(client, q="低保").content.decode()


def test_life_events_are_indexed_searchable_and_have_a_page(
    client, units, dibao, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        event = services.life_event_save(
            actor="系统：测试",
            name="生活困难求助",
            description="家里遇到困难时可以申请的救助",
            items=[dibao.implementation_item],
        )

    doc = _docs(LIFE_EVENT_KIND).get()
    assert doc.title == "生活困难求助"
    item_events = _docs().get().facets.filter(name="life_event")
    assert list(item_events.values_list("value", flat=True)) == ["生活困难求助"]
    html = _search(client, q="困难").content.decode()
    assert "生活困难求助" in html and "一件事" in html
    page = client.get(reverse("catalog:life_event", args=[event.pk])).content.decode()
    assert "要办的1件事" in page
    assert reverse("catalog:guide", args=[dibao.implementation_item.implementation_code]) in page
    assert "最低生活保障申请书" in page
    assert "不用带，数据共享获取" in page


def test_a_life_event_without_items_in_force_is_not_public(client, units):
    event = services.life_event_save(actor="系统：测试", name="空的一件事", items=[])

    assert client.get(reverse("catalog:life_event", args=[event.pk])).status_code == 404


def test_reindex_rebuilds_the_catalogue_from_scratch(units, dibao):
    SearchDocument.objects.all().delete()
    services.life_event_save(
        actor="系统：测试", name="生活困难求助", items=[dibao.implementation_item]
    )

    items, events = catalog_reindex()

    assert (items, events) == (1, 1)
    assert _docs().get().object_id == dibao.implementation_item.implementation_code


def test_reindex_command_reports_what_it_indexed(dibao):
    out = io.StringIO()

    call_command("catalog", "reindex", stdout=out)

    assert "事项1个" in out.getvalue()
    assert _docs().count() == 1


def test_life_event_page_query_count_is_bounded(client, dibao, django_assert_max_num_queries):
    event = services.life_event_save(
        actor="系统：测试", name="生活困难求助", items=[dibao.implementation_item]
    )

    with django_assert_max_num_queries(10):
        response = client.get(reverse("catalog:life_event", args=[event.pk]))

    assert response.status_code == 200


def test_search_page_shows_the_chosen_facet_with_its_counts(client, dibao):
    response = _search(client, q="低保", level="5")

    level = next(x for x in response.context["facets"] if x["name"] == "level")
    assert level["chosen"] == "5"
    assert [(o["value"], o["count"]) for o in level["options"]] == [("5", 1)]
    assert response.context["pages"] is None  # one hit: no pager


def test_the_pager_links_its_neighbours_and_stops_at_the_last_page():
    from types import SimpleNamespace

    from sanyi.catalog.web.public_search import _pages

    found = SimpleNamespace(total=45)
    middle = _pages(found, 2, [("q", "低保")])
    last = _pages(found, 3, [("q", "低保")])

    assert middle["last"] == 3
    assert middle["previous"].endswith("page=1") and middle["next"].endswith("page=3")
    assert last["next"] == ""


def test_a_very_broad_search_says_so_on_the_page_and_in_the_api(
    client, units, django_capture_on_commit_callbacks, monkeypatch
):
    with django_capture_on_commit_callbacks(execute=True):
        published_dibao(units)
        published_dibao(units, name="最低生活保障变更")
    monkeypatch.setattr(ranking, "RANK_WINDOW", 1)  # two matches: more than the window

    html = client.get(reverse("catalog:search"), {"q": "最低生活保障"}).content.decode()
    body = client.get(reverse("api:catalog-search"), {"q": "最低生活保障"}).json()

    assert "找到的事项很多，下面是其中最常办、最新的 1 条" in html
    assert (body["capped"], body["count"], len(body["results"])) == (True, 1, 1)
    monkeypatch.setattr(ranking, "RANK_WINDOW", 1000)
    body = client.get(reverse("api:catalog-search"), {"q": "最低生活保障"}).json()
    assert (body["capped"], body["count"]) == (False, 2)
