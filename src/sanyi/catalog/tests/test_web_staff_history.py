"""Version history per code and the field-by-field diff page."""

import pytest

from sanyi.catalog import services
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.tests.staff_support import (
    catalog_world,
    good_guide,
    login,
    url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


def _second_version(world):
    """Version 1 published, version 2 published with materials added, removed, changed."""
    author, reviewer = world["author"], world["reviewer"]
    first = catalog_factories.item(
        unit=world["dept"], author=author, reviewer=reviewer, status="published"
    )
    item = first.implementation_item
    draft = services.item_version_new_draft(actor=author, implementation_item=item)
    guide = good_guide(hours="工作日 8:30-17:30")
    guide["materials"][0]["copies"] = 3
    guide["materials"][1] = {**guide["materials"][0], "name": "身份证", "copies": 1}
    services.item_version_update(actor=author, version=draft, guide=guide)
    services.item_version_submit(actor=author, version=draft)
    services.item_version_review(actor=reviewer, version=draft, approve=True, comment="可以")
    services.item_version_publish(actor=author, version=draft)
    return item


def test_diff_page_highlights_materials_added_removed_changed(client, world):
    item = _second_version(world)
    login(client, world["author"])
    response = client.get(url("catalog_diff", item.implementation_code), {"old": 1, "new": 2})
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        '<li class="diff-added"><span class="badge badge-ok">新增</span> <ins>身份证</ins></li>'
        in html
    )
    removed = '<span class="badge badge-danger">删除</span> <del>营业执照</del>'
    assert f'<li class="diff-removed">{removed}</li>' in html
    assert 'class="diff-changed"' in html and "申请书" in html
    assert "份数：<del>1</del> → <ins>3</ins>" in html
    assert 'data-field="hours"' in html


def test_diff_page_defaults_to_the_previous_version(client, world):
    item = _second_version(world)
    login(client, world["author"])
    response = client.get(url("catalog_diff", item.implementation_code))
    assert response.context["old"].number == 1
    assert response.context["new"].number == 2


def test_diff_page_unknown_version_is_404(client, world):
    item = _second_version(world)
    login(client, world["author"])
    assert client.get(url("catalog_diff", item.implementation_code), {"new": 9}).status_code == 404
    assert (
        client.get(url("catalog_diff", item.implementation_code), {"old": "x"}).status_code == 404
    )


def test_history_lists_every_version_with_reviews_and_audit(
    client, world, django_assert_max_num_queries
):
    item = _second_version(world)
    login(client, world["author"])
    client.get(url("catalog_item", item.implementation_code))
    with django_assert_max_num_queries(20):
        response = client.get(url("catalog_item", item.implementation_code))
    html = response.content.decode()
    assert [e.version.number for e in response.context["entries"]] == [2, 1]
    assert "可以" in html  # the review comment
    assert "发布事项" in html and "catalog_item.publish" not in html
    assert "?old=1&amp;new=2" in html


def test_history_of_another_scope_is_404(client, world):
    item = _second_version(world)
    outsider = catalog_factories.org_factories.staff(world["sub_dept"], "catalog_admin")
    login(client, outsider)
    assert client.get(url("catalog_item", item.implementation_code)).status_code == 404
    assert client.get(url("catalog_diff", item.implementation_code)).status_code == 404


def test_review_page_shows_the_diff_against_the_published_version(client, world):
    first = catalog_factories.item(
        unit=world["dept"], author=world["author"], reviewer=world["reviewer"], status="published"
    )
    draft = services.item_version_new_draft(
        actor=world["author"], implementation_item=first.implementation_item
    )
    services.item_version_update(
        actor=world["author"], version=draft, guide={"place": "区政务服务中心二楼"}
    )
    services.item_version_submit(actor=world["author"], version=draft)
    login(client, world["reviewer"])
    html = client.get(url("catalog_version_review", draft.pk)).content.decode()
    assert "与已发布的第1版相比" in html
    assert "<ins>区政务服务中心二楼</ins>" in html
    assert 'name="decision"' in html
