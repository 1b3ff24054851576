"""Maintaining the catalogue through the API: drafts, four-eyes review, publication, new
drafts and cancellation, for anonymous callers, admins in scope and admins out of it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from sanyi.api.tests.problems import fields_of, problem_of
from sanyi.audit.models import AuditEvent
from sanyi.catalog.models import ImplementationItem, ItemReview, ItemVersion
from sanyi.catalog.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def client_for(user=None):
    api = APIClient()
    if user is not None:
        api.force_authenticate(user)
    return api


def api_url(name, *args):
    return reverse(f"api:{name}", args=args)


def create_body(unit, **overrides):
    body = {
        "name": "食品经营许可",
        "item_type": "01",
        "implementing_unit": unit.pk,
        "level": "4",
        "power_source": "1",
        "implementer_nature": "1",
        "guide": f.good_guide(),
    }
    body.update(overrides)
    return body


def test_anonymous_cannot_write(units):
    version = f.item(unit=units["dept"], author=units["author"])
    api = client_for()
    problem_of(
        api.post(api_url("catalog-draft-create"), create_body(units["dept"]), format="json"), 401
    )
    problem_of(api.post(api_url("catalog-version-submit", version.pk)), 401)
    problem_of(api.patch(api_url("catalog-version", version.pk), {}, format="json"), 401)


def test_anonymous_cannot_read_a_draft(units):
    version = f.item(unit=units["dept"], author=units["author"])
    problem_of(client_for().get(api_url("catalog-version", version.pk)), 404)
    problem_of(client_for().get(api_url("catalog-version-lint", version.pk)), 404)


def test_other_roles_cannot_write(units):
    clerk = f.org_factories.staff(units["dept"], "window_clerk")
    response = client_for(clerk).post(
        api_url("catalog-draft-create"), create_body(units["dept"]), format="json"
    )
    problem_of(response, 403)


def test_admin_creates_a_draft_in_scope(units):
    response = client_for(units["dept_admin"]).post(
        api_url("catalog-draft-create"), create_body(units["dept"]), format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["number"] == 1
    assert [m["name"] for m in body["guide"]["materials"]] == ["申请书", "营业执照"]
    version = ItemVersion.objects.get(pk=body["id"])
    assert AuditEvent.objects.filter(
        object_type="catalog.itemversion", object_id=str(version.pk), action="catalog_item.create"
    ).exists()


def test_admin_out_of_scope_cannot_create(units):
    response = client_for(units["dept_admin"]).post(
        api_url("catalog-draft-create"), create_body(units["sub_dept"]), format="json"
    )
    problem_of(response, 403)
    assert not ImplementationItem.objects.exists()


def test_guide_errors_name_the_nested_field(units):
    guide = f.good_guide()
    guide["materials"][1]["name"] = ""
    guide["statutory_limit"] = {"value": 5, "unit": "none"}
    response = client_for(units["author"]).post(
        api_url("catalog-draft-create"), create_body(units["dept"], guide=guide), format="json"
    )
    fields = fields_of(problem_of(response, 400))
    assert "guide.materials.1.name" in fields
    assert "guide.statutory_limit.value" in fields
    assert not ImplementationItem.objects.exists()


def test_admin_updates_only_the_keys_sent(units):
    version = f.item(unit=units["dept"], author=units["author"])
    response = client_for(units["author"]).patch(
        api_url("catalog-version", version.pk),
        {"guide": {"hours": "工作日 8:30-17:30"}, "change_note": "调整办公时间"},
        format="json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["guide"]["hours"] == "工作日 8:30-17:30"
    assert len(body["guide"]["materials"]) == 2
    assert body["change_note"] == "调整办公时间"


def test_out_of_scope_admin_does_not_see_the_draft(units):
    version = f.item(unit=units["sub_dept"], author=units["author"])
    api = client_for(units["dept_admin"])
    problem_of(api.get(api_url("catalog-version", version.pk)), 404)
    problem_of(api.patch(api_url("catalog-version", version.pk), {"guide": {}}, format="json"), 404)
    problem_of(api.post(api_url("catalog-version-submit", version.pk)), 404)


def test_out_of_scope_admin_cannot_change_a_published_item(units):
    version = f.item(
        unit=units["sub_dept"],
        author=units["author"],
        reviewer=units["reviewer"],
        status="published",
    )
    code = version.implementation_item.implementation_code
    api = client_for(units["dept_admin"])
    assert api.get(api_url("catalog-version", version.pk)).status_code == 200
    problem_of(api.post(api_url("catalog-item-new-draft", code), {}, format="json"), 403)
    problem_of(
        api.post(
            api_url("catalog-item-cancel", code),
            {"planned_cancel_on": "2026-01-05", "reason": "合并"},
            format="json",
        ),
        403,
    )


def test_lint_as_json(units):
    version = f.item(
        unit=units["dept"], author=units["author"], guide=f.good_guide(complaint_phone="")
    )
    body = client_for(units["author"]).get(api_url("catalog-version-lint", version.pk)).json()
    assert body["errors"] == 1
    assert body["findings"][0] == {
        "code": "L012",
        "title": "咨询电话与投诉电话",
        "severity": "error",
        "message": "请填写监督投诉电话",
        "path": "complaint_phone",
    }


def test_submit_with_lint_errors_is_a_problem(units):
    version = f.item(
        unit=units["dept"], author=units["author"], guide=f.good_guide(acceptance_conditions="")
    )
    problem = problem_of(
        client_for(units["author"]).post(api_url("catalog-version-submit", version.pk)), 400
    )
    assert "L013" in problem["detail"] + " ".join(e["message"] for e in problem["errors"])


def test_four_eyes_through_the_api(units):
    author, reviewer = units["author"], units["reviewer"]
    version = f.item(unit=units["dept"], author=author)
    submitted = client_for(author).post(api_url("catalog-version-submit", version.pk))
    assert submitted.json()["status"] == "in_review"
    # the author may not approve
    problem = problem_of(
        client_for(author).post(
            api_url("catalog-version-review", version.pk), {"approve": True}, format="json"
        ),
        403,
    )
    assert "不能审核" in problem["detail"]
    assert not ItemReview.objects.exists()
    # nor publish before a second admin approved
    problem_of(
        client_for(author).post(api_url("catalog-version-publish", version.pk), {}, format="json"),
        400,
    )
    approved = client_for(reviewer).post(
        api_url("catalog-version-review", version.pk),
        {"approve": True, "comment": "同意"},
        format="json",
    )
    assert approved.status_code == 200
    assert approved.json()["approved"] is True
    published = client_for(author).post(
        api_url("catalog-version-publish", version.pk), {}, format="json"
    )
    assert published.status_code == 200
    assert published.json()["status"] == "published"
    assert published.json()["effective_on"] == timezone.localdate().isoformat()


def test_reject_without_comment_is_a_field_problem(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    problem = problem_of(
        client_for(units["reviewer"]).post(
            api_url("catalog-version-review", version.pk), {"approve": False}, format="json"
        ),
        400,
    )
    assert "comment" in fields_of(problem)


def test_publish_in_the_future_is_refused(units):
    version = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="approved"
    )
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    problem = problem_of(
        client_for(units["author"]).post(
            api_url("catalog-version-publish", version.pk),
            {"effective_on": tomorrow.isoformat()},
            format="json",
        ),
        400,
    )
    assert "effective_on" in fields_of(problem)


def test_new_draft_and_cancel(units):
    version = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="published"
    )
    code = version.implementation_item.implementation_code
    api = client_for(units["dept_admin"])
    draft = api.post(
        api_url("catalog-item-new-draft", code), {"change_note": "更新电话"}, format="json"
    )
    assert draft.status_code == 201
    assert draft.json()["number"] == 2
    again = api.post(api_url("catalog-item-new-draft", code), {}, format="json")
    problem_of(again, 400)
    cancelled = api.post(
        api_url("catalog-item-cancel", code),
        {"planned_cancel_on": timezone.localdate().isoformat(), "reason": "法规废止"},
        format="json",
    )
    assert cancelled.json()["cancelled"] is True
    problem_of(client_for().get(api_url("catalog-item-detail", code)), 404)


def test_version_detail_query_count(units, django_assert_max_num_queries):
    version = f.item(unit=units["dept"], author=units["author"])
    api = client_for(units["author"])
    api.get(api_url("catalog-version", version.pk))
    with django_assert_max_num_queries(10):
        response = api.get(api_url("catalog-version", version.pk))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("guide", "field"),
    [
        ({"online_url": "javascript:alert(document.domain)"}, "guide.online_url"),
        (
            {
                "legal_bases": [
                    {"title": "《食品安全法》", "kind": "setting", "url": "data:text/html,x"}
                ]
            },
            "guide.legal_bases.0.url",
        ),
    ],
)
def test_patch_with_a_script_link_is_a_400_naming_the_field(units, guide, field):
    version = f.item(unit=units["dept"], author=units["author"])
    response = client_for(units["author"]).patch(
        api_url("catalog-version", version.pk), {"guide": guide}, format="json"
    )
    fields = fields_of(problem_of(response, 400))
    assert field in fields
    assert "http" in fields[field][0]
    version.refresh_from_db()
    assert version.online_url == "https://zwfw.example.gov.cn/item"
    assert not version.legal_bases.filter(url__startswith="data:").exists()
