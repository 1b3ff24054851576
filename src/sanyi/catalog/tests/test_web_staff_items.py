"""Catalogue admin pages: who may enter, the list, writing a draft with live lint, the
four-eyes review and publication."""

import pytest

from sanyi.catalog.choices import VersionStatus
from sanyi.catalog.models import ImplementationItem, ItemReview, ItemVersion
from sanyi.catalog.tests import factories as catalog_factories
from sanyi.catalog.tests.staff_support import (
    catalog_world,
    form_data,
    good_guide,
    login,
    other_role_user,
    other_roles,
    url,
)
from sanyi.core.tests.error_summary import assert_error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SANYI_REQUIRE_ADMIN_OTP = False


@pytest.fixture
def world():
    return catalog_world()


def _pages(version):
    code = version.implementation_item.implementation_code
    return [
        url("catalog_items"),
        url("catalog_item_create"),
        url("catalog_reviews"),
        url("catalog_quality"),
        url("catalog_reduction"),
        url("catalog_zero_results"),
        url("catalog_import"),
        url("catalog_version", version.pk),
        url("catalog_version_edit", version.pk),
        url("catalog_version_review", version.pk),
        url("catalog_item", code),
        url("catalog_diff", code),
    ]


@pytest.mark.parametrize("role", other_roles())
def test_other_roles_get_403_on_every_page(client, world, role):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, other_role_user(world, role))
    for page in _pages(version):
        assert client.get(page).status_code == 403, page


def test_anonymous_is_sent_to_sign_in(client, world):
    assert client.get(url("catalog_items")).status_code == 302


def test_items_outside_the_admins_scope_are_404(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["dept_admin"])
    for page in _pages(version)[7:]:
        assert client.get(page).status_code == 404, page
    assert client.post(url("catalog_version_submit", version.pk)).status_code == 404


def test_list_shows_only_the_admins_scope(client, world):
    inside = catalog_factories.item(unit=world["dept"], author=world["dept_admin"], name="部门事项")
    catalog_factories.item(unit=world["sub_dept"], author=world["author"], name="街道事项")
    login(client, world["dept_admin"])
    response = client.get(url("catalog_items"))
    assert response.status_code == 200
    rows = [r.version.pk for r in response.context["page"].object_list]
    assert rows == [inside.pk]


def test_list_filters_by_status_type_text_and_lint(client, world):
    author = world["author"]
    draft = catalog_factories.item(unit=world["sub_dept"], author=author, name="养犬登记")
    published = catalog_factories.item(
        unit=world["dept"],
        author=author,
        reviewer=world["reviewer"],
        status="published",
        name="低保申请",
        item_type="05",
    )
    broken = catalog_factories.item(
        unit=world["sub_dept"],
        author=author,
        name="临时救助",
        guide=good_guide(acceptance_conditions="", complaint_phone=""),
    )
    login(client, author)

    def listed(**params):
        response = client.get(url("catalog_items"), params)
        assert response.status_code == 200
        return {r.version.pk for r in response.context["page"].object_list}

    assert listed() == {draft.pk, published.pk, broken.pk}
    assert listed(status="published") == {published.pk}
    assert listed(item_type="05") == {published.pk}
    assert listed(text="养犬") == {draft.pk}
    assert listed(unit=world["dept"].pk) == {published.pk}
    assert listed(lint="errors") == {broken.pk}
    assert listed(lint="clean") == {draft.pk, published.pk}


def test_list_query_count_does_not_grow_with_the_items(
    client, world, django_assert_max_num_queries
):
    for _ in range(12):
        catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    client.get(url("catalog_items"))  # session, roles and templates warm
    with django_assert_max_num_queries(16):
        response = client.get(url("catalog_items"))
    assert len(response.context["page"].object_list) == 12
    with django_assert_max_num_queries(16):
        response = client.get(url("catalog_items"), {"lint": "clean"})
    assert len(response.context["page"].object_list) == 12


def test_list_paginates(client, world):
    for _ in range(27):
        catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    first = client.get(url("catalog_items"))
    second = client.get(url("catalog_items"), {"page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 2
    assert "下一页" in first.content.decode()


# --- create and edit ---------------------------------------------------------------------


def test_create_page_offers_only_units_in_scope(client, world):
    login(client, world["dept_admin"])
    response = client.get(url("catalog_item_create"))
    units = list(response.context["identity"].fields["implementing_unit"].queryset)
    assert units == [world["dept"]]


def test_create_makes_a_draft_and_audits_it(client, world):
    login(client, world["author"])
    data = form_data(
        good_guide(),
        name="食品经营许可",
        item_type="01",
        implementing_unit=str(world["dept"].pk),
        level="4",
        power_source="1",
        implementer_nature="1",
        action="save",
    )
    response = client.post(url("catalog_item_create"), data)
    assert response.status_code == 302, response.context and response.context["editor"].form.errors
    version = ItemVersion.objects.get(implementation_item__base_item__name="食品经营许可")
    assert version.status == VersionStatus.DRAFT
    assert version.created_by == world["author"]
    assert [m.name for m in version.materials.order_by("position")] == ["申请书", "营业执照"]
    assert [s.name for s in version.steps.order_by("position")] == ["受理", "审批"]


def test_create_out_of_scope_unit_is_refused(client, world):
    login(client, world["dept_admin"])
    data = form_data(
        good_guide(),
        name="越权事项",
        item_type="01",
        implementing_unit=str(world["sub_dept"].pk),
        level="5",
        power_source="1",
        implementer_nature="1",
        action="save",
    )
    response = client.post(url("catalog_item_create"), data)
    assert response.status_code == 200
    assert "implementing_unit" in response.context["identity"].errors
    assert not ImplementationItem.objects.filter(base_item__name="越权事项").exists()


def test_edit_saves_rows_added_changed_and_deleted(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    guide = good_guide()
    guide["materials"][0]["copies"] = 2
    guide["materials"].append(
        {
            "name": "身份证",
            "type": "original",
            "form": "paper",
            "necessity": "required",
            "copies": 1,
            "source": "applicant",
        }
    )
    data = form_data(guide, action="save")
    data["materials-1-DELETE"] = "on"  # drop 营业执照
    response = client.post(url("catalog_version_edit", version.pk), data)
    assert response.status_code == 302
    materials = list(version.materials.order_by("position").values_list("name", "copies"))
    assert materials == [("申请书", 2), ("身份证", 1)]


def test_edit_shows_guide_format_errors_on_the_field(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    guide = good_guide()
    guide["statutory_limit"] = {"value": 5, "unit": "none", "note": ""}
    response = client.post(url("catalog_version_edit", version.pk), form_data(guide))
    assert response.status_code == 200
    assert response.context["editor"].form.errors["statutory_limit_value"]
    version.refresh_from_db()
    assert version.statutory_limit_value == 20


def test_add_row_button_gives_one_more_blank_row_without_saving(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    data = form_data(good_guide(acceptance_conditions="改了但没保存"), add_row="fees")
    response = client.post(url("catalog_version_edit", version.pk), data)
    assert response.status_code == 200
    assert len(response.context["editor"].formsets["fees"].forms) == 1
    version.refresh_from_db()
    assert version.acceptance_conditions != "改了但没保存"


def test_published_version_is_not_editable(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"],
        author=world["author"],
        reviewer=world["reviewer"],
        status="published",
    )
    login(client, world["author"])
    response = client.get(url("catalog_version_edit", version.pk))
    assert response.status_code == 302
    assert response["Location"] == url("catalog_version", version.pk)


# --- live lint ---------------------------------------------------------------------------


def test_lint_fragment_reports_findings_of_the_unsaved_page(client, world):
    login(client, world["author"])
    guide = good_guide()
    guide["materials"][0]["name"] = "申请书等"
    response = client.post(url("catalog_lint"), form_data(guide, item_type="01"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-code="L002"' in html
    assert "申请材料第1项·材料名称" in html
    assert 'href="#id_materials-0-name"' in html
    assert "disabled" in html  # errors block submitting
    assert not ItemVersion.objects.exists()


def test_lint_fragment_of_a_clean_page_enables_submit(client, world):
    login(client, world["author"])
    response = client.post(url("catalog_lint"), form_data(good_guide(), item_type="01"))
    html = response.content.decode()
    assert "没有发现问题" in html
    assert 'id="submit-for-review"' in html
    assert "disabled" not in html


def test_lint_fragment_uses_the_item_type(client, world):
    login(client, world["author"])
    guide = good_guide(statutory_limit={"value": None, "unit": "none", "note": ""})
    licensing = client.post(url("catalog_lint"), form_data(guide, item_type="01")).content.decode()
    service = client.post(url("catalog_lint"), form_data(guide, item_type="20")).content.decode()
    assert 'data-code="L007"' in licensing
    assert 'data-code="L007"' not in service


def test_lint_fragment_needs_the_role(client, world):
    login(client, other_role_user(world, "window_clerk"))
    assert client.post(url("catalog_lint"), form_data(good_guide())).status_code == 403


def test_edit_page_renders_its_lint_panel_wired_to_htmx(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], guide=good_guide(complaint_phone="")
    )
    login(client, world["author"])
    html = client.get(url("catalog_version_edit", version.pk)).content.decode()
    assert f'hx-post="{url("catalog_lint")}"' in html
    assert 'data-code="L012"' in html


# --- submit, review, publish -------------------------------------------------------------


def test_submit_with_lint_errors_is_refused(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], guide=good_guide(acceptance_conditions="")
    )
    login(client, world["author"])
    client.post(url("catalog_version_submit", version.pk))
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_save_and_submit_from_the_edit_page(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    response = client.post(
        url("catalog_version_edit", version.pk), form_data(good_guide(), action="submit")
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW
    assert version.submitted_by == world["author"]


def test_author_cannot_approve_own_version(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], status="in_review"
    )
    login(client, world["author"])
    page = client.get(url("catalog_version_review", version.pk))
    assert "不能自己审核" in page.content.decode()
    assert "decision" not in page.content.decode()
    response = client.post(
        url("catalog_version_review", version.pk), {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 403
    assert not ItemReview.objects.exists()
    version.refresh_from_db()
    assert version.reviewed_by is None


def test_second_admin_approves_then_publishes(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], status="in_review"
    )
    login(client, world["reviewer"])
    response = client.post(
        url("catalog_version_review", version.pk), {"decision": "approve", "comment": "同意"}
    )
    assert response.status_code == 302
    assert client.get(url("catalog_reviews")).context["versions"] == []
    client.post(url("catalog_version_publish", version.pk), {"effective_on": ""})
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.reviewed_by == world["reviewer"]


def test_reject_needs_a_comment_and_returns_the_draft(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], status="in_review"
    )
    login(client, world["reviewer"])
    response = client.post(url("catalog_version_review", version.pk), {"decision": "reject"})
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert_error_summary(response, {"id_comment": ""})
    client.post(
        url("catalog_version_review", version.pk),
        {"decision": "reject", "comment": "材料名称写全"},
    )
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT
    assert ItemReview.objects.get().comment == "材料名称写全"


def test_publish_before_approval_is_refused(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], status="in_review"
    )
    login(client, world["author"])
    client.post(url("catalog_version_publish", version.pk))
    version.refresh_from_db()
    assert version.status == VersionStatus.IN_REVIEW


def test_review_queue_lists_others_versions_only(client, world):
    mine = catalog_factories.item(
        unit=world["sub_dept"], author=world["author"], status="in_review"
    )
    login(client, world["reviewer"])
    assert client.get(url("catalog_reviews")).context["versions"] == [mine]
    login(client, world["author"])
    assert client.get(url("catalog_reviews")).context["versions"] == []


def test_new_draft_from_published_version(client, world):
    version = catalog_factories.item(
        unit=world["sub_dept"],
        author=world["author"],
        reviewer=world["reviewer"],
        status="published",
    )
    code = version.implementation_item.implementation_code
    login(client, world["author"])
    response = client.post(url("catalog_new_draft", code))
    draft = ItemVersion.objects.get(implementation_item=version.implementation_item, number=2)
    assert response["Location"] == url("catalog_version_edit", draft.pk)
    assert draft.status == VersionStatus.DRAFT
    assert draft.materials.count() == version.materials.count()


def test_discard_draft(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    client.post(url("catalog_version_discard", version.pk))
    assert not ItemVersion.objects.filter(pk=version.pk).exists()


def test_version_page_query_count(client, world, django_assert_max_num_queries):
    version = catalog_factories.item(
        unit=world["sub_dept"],
        author=world["author"],
        reviewer=world["reviewer"],
        status="superseded",
    )
    draft = catalog_factories.services.item_version_new_draft(
        actor=world["author"], implementation_item=version.implementation_item
    )
    login(client, world["author"])
    client.get(url("catalog_version", draft.pk))
    with django_assert_max_num_queries(25):
        response = client.get(url("catalog_version", draft.pk))
    assert response.status_code == 200


def test_workbench_home_shows_the_tile_to_catalogue_admins_only(client, world):
    login(client, world["author"])
    assert url("catalog_items") in client.get(url("home")).content.decode()
    login(client, other_role_user(world, "window_clerk"))
    assert url("catalog_items") not in client.get(url("home")).content.decode()


def test_lint_fragment_names_fields_the_form_refused(client, world):
    login(client, world["author"])
    data = form_data(good_guide(), item_type="01")
    data["visits"] = "两次"
    html = client.post(url("catalog_lint"), data).content.decode()
    assert "到办事现场次数" in html
    assert 'href="#id_visits"' in html
    assert "disabled" in html


def test_edit_refuses_a_script_link_and_names_the_field(client, world):
    version = catalog_factories.item(unit=world["sub_dept"], author=world["author"])
    login(client, world["author"])
    guide = good_guide()
    guide["online_url"] = "javascript:alert(document.domain)"
    response = client.post(url("catalog_version_edit", version.pk), form_data(guide))
    assert response.status_code == 200
    assert "网办地址" in response.context["editor"].form.errors["online_url"][0]
    version.refresh_from_db()
    assert version.online_url == "https://zwfw.example.gov.cn/item"
