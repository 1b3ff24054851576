"""Four eyes on every path that publishes an item version: the import, the services the
pages, the API and the command line call. Only the demo loader, a system actor, publishes
an import without review."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from rest_framework.test import APIClient

from sanyi.catalog import exchange, services
from sanyi.catalog.admin_selectors import review_queue
from sanyi.catalog.models import ItemVersion
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def _document(units, name="食品经营许可"):
    return {
        "format": "sanyi-catalog",
        "version": 1,
        "items": [
            {
                **f.good_guide(),
                "name": name,
                "item_type": "01",
                "implementing_unit": units["dept"].uscc,
                "level": "4",
                "power_source": "1",
                "implementer_nature": "1",
                "life_events": [],
            }
        ],
    }


def test_a_person_cannot_import_without_review(units):
    with pytest.raises(PermissionDenied):
        exchange.catalog_import(
            actor=units["author"], document=_document(units), publish_without_review=True
        )


def test_a_person_cannot_publish_an_imported_draft_directly(units):
    version = f.item(unit=units["dept"], author=units["author"])
    with pytest.raises(PermissionDenied):
        services.item_import_publish(actor=units["author"], version=version)
    version.refresh_from_db()
    assert version.status == "draft"


def test_an_import_by_a_person_waits_for_a_second_admin(units):
    result = exchange.catalog_import(actor=units["author"], document=_document(units))
    version = ItemVersion.objects.get()
    assert result.submitted == [version.implementation_item.implementation_code]
    assert version.status == "in_review"
    with pytest.raises(ValidationError):
        services.item_version_publish(actor=units["author"], version=version)
    with pytest.raises(PermissionDenied):
        services.item_version_review(actor=units["author"], version=version, approve=True)
    services.item_version_review(actor=units["reviewer"], version=version, approve=True)
    services.item_version_publish(actor=units["author"], version=version)
    version.refresh_from_db()
    assert version.status == "published"


def test_a_system_import_is_submitted_too(units):
    exchange.catalog_import(actor=exchange.IMPORT_ACTOR, document=_document(units))
    version = ItemVersion.objects.get()
    assert version.status == "in_review"
    with pytest.raises(ValidationError):
        services.item_version_publish(actor=exchange.IMPORT_ACTOR, version=version)


def test_the_demo_loader_alone_publishes_at_once(units):
    result = exchange.catalog_import(
        actor="系统：演示数据", document=_document(units), publish_without_review=True
    )
    assert ItemVersion.objects.get().status == "published"
    assert not result.submitted


def test_the_api_cannot_publish_an_imported_version_before_a_second_admin_approves(units):
    exchange.catalog_import(actor=units["author"], document=_document(units))
    version = ItemVersion.objects.get()
    api = APIClient()
    api.force_authenticate(units["author"])
    publish = reverse("api:catalog-version-publish", args=[version.pk])
    review = reverse("api:catalog-version-review", args=[version.pk])

    assert api.post(publish, {}, format="json").status_code == 400
    assert api.post(review, {"approve": True}, format="json").status_code == 403
    version.refresh_from_db()
    assert version.status == "in_review"

    api.force_authenticate(units["reviewer"])
    assert api.post(review, {"approve": True}, format="json").status_code == 200
    assert api.post(publish, {}, format="json").json()["status"] == "published"


def test_the_api_lint_names_each_rule(units):
    version = f.item(
        unit=units["dept"], author=units["author"], guide=f.good_guide(complaint_phone="")
    )
    api = APIClient()
    api.force_authenticate(units["author"])
    body = api.get(reverse("api:catalog-version-lint", args=[version.pk])).json()
    assert {"code": "L012", "title": "咨询电话与投诉电话"}.items() <= body["findings"][0].items()


def test_an_admin_who_only_edited_the_draft_cannot_approve_it(units):
    editor = units["reviewer"]
    version = f.item(unit=units["dept"], author=units["author"])
    services.item_version_update(actor=editor, version=version, guide={"hours": "工作日9:00-17:00"})
    services.item_version_submit(actor=units["author"], version=version)

    with pytest.raises(PermissionDenied, match="修改"):
        services.item_version_review(actor=editor, version=version, approve=True)
    version.refresh_from_db()
    assert version.reviewed_by_id is None
    assert list(version.editors.all()) == [editor]
    assert version not in review_queue(viewer=editor)

    third = org_factories.staff(units["district"], Role.CATALOG_ADMIN)
    services.item_version_review(actor=third, version=version, approve=True)
    services.item_version_publish(actor=units["author"], version=version)
    version.refresh_from_db()
    assert version.status == "published"


def test_changing_the_eligibility_rules_counts_as_editing(units):
    version = f.item(unit=units["dept"], author=units["author"])
    services.eligibility_rule_save(
        actor=units["reviewer"],
        version=version,
        rule={
            "name": "年满18周岁",
            "logic": {">=": [{"var": "age"}, 18]},
            "reason": "须年满18周岁。",
            "tests": [
                {"facts": {"age": 18}, "expected": True},
                {"facts": {"age": 17}, "expected": False},
            ],
        },
    )
    services.item_version_submit(actor=units["author"], version=version)
    with pytest.raises(PermissionDenied):
        services.item_version_review(actor=units["reviewer"], version=version, approve=True)


def test_a_version_approved_by_an_editor_is_not_published(units):
    """Defence in depth: a review recorded before editors were tracked does not publish."""
    version = f.item(unit=units["dept"], author=units["author"], status="approved",
                     reviewer=units["reviewer"])  # fmt: skip
    version.editors.add(units["reviewer"])
    with pytest.raises(PermissionDenied, match="审核无效"):
        services.item_version_publish(actor=units["author"], version=version)
