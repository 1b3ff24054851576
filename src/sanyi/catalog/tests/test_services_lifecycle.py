import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sanyi.audit.models import AuditEvent
from sanyi.audit.selectors import audit_chain_verify
from sanyi.catalog import services
from sanyi.catalog.guide import GuideInvalid
from sanyi.catalog.models import ImplementationItem, ItemReview, ItemVersion
from sanyi.catalog.signals import item_published
from sanyi.catalog.tests import factories as f
from sanyi.orgs.models import Role
from sanyi.orgs.tests import factories as org_factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return f.org()


def test_item_create_makes_draft_version_one_with_audit_row(units):
    version = f.item(unit=units["dept"], author=units["author"])

    assert version.number == 1
    assert version.status == "draft"
    assert version.created_by == units["author"]
    assert [m.name for m in version.materials.order_by("position")] == ["申请书", "营业执照"]
    event = AuditEvent.objects.get(action="catalog_item.create")
    assert event.object_id == str(version.pk)
    assert event.actor == units["author"]


def test_item_create_refuses_staff_without_catalog_admin_role_for_the_unit(units):
    clerk = org_factories.staff(units["dept"], Role.WINDOW_CLERK)
    other_admin = units["dept_admin"]

    with pytest.raises(PermissionDenied):
        f.item(unit=units["dept"], author=clerk)
    with pytest.raises(PermissionDenied):
        f.item(unit=units["sub_dept"], author=other_admin)


def test_item_create_reports_guide_errors_with_field_paths(units):
    guide = f.good_guide()
    guide["materials"][1]["type"] = "scan"

    with pytest.raises(GuideInvalid) as exc:
        f.item(unit=units["dept"], guide=guide)

    assert [e.path for e in exc.value.errors] == ["materials[1].type"]
    assert "材料类型" in exc.value.errors[0].message


def test_same_unit_cannot_implement_the_same_base_item_twice(units):
    f.item(unit=units["dept"], name="食品经营许可")
    with pytest.raises(ValidationError, match="已有事项“食品经营许可”的实施清单"):
        f.item(unit=units["dept"], name="食品经营许可")


def test_delegated_item_shares_the_base_item_with_its_own_implementation_code(units):
    district_version = f.item(unit=units["dept"], name="临时占道许可")
    sub_version = f.item(
        unit=units["sub_dept"],
        name="临时占道许可",
        level="5",
        power_source="2",
        delegated_from=units["dept"],
    )

    a, b = district_version.implementation_item, sub_version.implementation_item
    assert a.base_item_id == b.base_item_id
    assert a.implementation_code != b.implementation_code
    assert b.delegated_from == units["dept"]


def test_update_changes_a_draft_and_audits_the_changed_keys(units):
    version = f.item(unit=units["dept"])

    services.item_version_update(
        actor=f.SYSTEM, version=version, guide={"visits": 0, "channels": ["online", "post"]}
    )

    version.refresh_from_db()
    assert version.visits == 0
    event = AuditEvent.objects.filter(action="catalog_item.update").get()
    assert set(event.changes) == {"visits", "channels"}


def test_update_refuses_a_version_in_review(units):
    version = f.item(unit=units["dept"], status="in_review")
    with pytest.raises(ValidationError, match="不能修改"):
        services.item_version_update(actor=f.SYSTEM, version=version, guide={"visits": 0})


def test_submit_is_blocked_by_lint_errors(units):
    version = f.item(unit=units["dept"], guide=f.good_guide(acceptance_conditions=""))

    with pytest.raises(ValidationError) as exc:
        services.item_version_submit(actor=f.SYSTEM, version=version)

    assert any("L013" in m for m in exc.value.messages)
    version.refresh_from_db()
    assert version.status == "draft"


def test_submit_is_not_blocked_by_warnings(units):
    guide = f.good_guide()
    guide["materials"][1]["source"] = "other_agency"  # L005 is a warning
    version = f.item(unit=units["dept"], guide=guide)

    services.item_version_submit(actor=f.SYSTEM, version=version)

    assert ItemVersion.objects.get(pk=version.pk).status == "in_review"


def test_author_cannot_review_own_draft(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    with pytest.raises(PermissionDenied, match="另一位事项管理员"):
        services.item_version_review(actor=units["author"], version=version, approve=True)


def test_reviewer_must_hold_catalog_admin_role_in_scope(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    approver = org_factories.staff(units["district"], Role.APPROVER)
    outsider = org_factories.staff(units["sub_dept"], Role.CATALOG_ADMIN)

    for actor in (approver, outsider):
        with pytest.raises(PermissionDenied):
            services.item_version_review(actor=actor, version=version, approve=True)
    with pytest.raises(PermissionDenied):
        services.item_version_review(actor=f.SYSTEM, version=version, approve=True)


def test_rejection_needs_a_comment_returns_to_draft_and_stores_it(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    with pytest.raises(ValidationError):
        services.item_version_review(actor=units["reviewer"], version=version, approve=False)

    services.item_version_review(
        actor=units["reviewer"], version=version, approve=False, comment="受理条件写得不清楚"
    )

    version.refresh_from_db()
    assert version.status == "draft"
    review = ItemReview.objects.get(version=version)
    assert (review.approved, review.comment, review.reviewer) == (
        False,
        "受理条件写得不清楚",
        units["reviewer"],
    )


def test_publish_needs_an_approving_review(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    with pytest.raises(ValidationError, match="尚未经第二位事项管理员审核通过"):
        services.item_version_publish(actor=units["author"], version=version)


def test_publish_sets_dates_and_sends_signal_on_commit(units, django_capture_on_commit_callbacks):
    version = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="approved"
    )
    received = []
    item_published.connect(
        lambda sender, **kw: received.append(kw), weak=False, dispatch_uid="test-publish"
    )
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.item_version_publish(actor=units["author"], version=version)
        assert received == []
        for callback in callbacks:
            callback()
    finally:
        item_published.disconnect(dispatch_uid="test-publish")

    version.refresh_from_db()
    assert version.status == "published"
    assert version.effective_on == timezone.localdate()
    assert version.published_at is not None
    assert received[0]["version"].pk == version.pk and received[0]["previous"] is None


def test_publish_refuses_a_future_effective_date(units):
    version = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="approved"
    )
    with pytest.raises(ValidationError):
        services.item_version_publish(
            actor=units["author"],
            version=version,
            effective_on=timezone.localdate() + dt.timedelta(days=3),
        )


def test_new_draft_copies_the_published_version_under_the_same_code(units):
    published = f.item(unit=units["dept"], status="published")

    draft = services.item_version_new_draft(
        actor=f.SYSTEM, implementation_item=published.implementation_item
    )

    assert draft.number == 2
    assert draft.implementation_item_id == published.implementation_item_id
    assert draft.status == "draft"
    assert list(draft.materials.values_list("name", flat=True)) == ["申请书", "营业执照"]
    assert list(draft.variants.values_list("code", flat=True)) == list(
        published.variants.values_list("code", flat=True)
    )


def test_only_one_working_copy_per_code(units):
    published = f.item(unit=units["dept"], status="published")
    item = published.implementation_item
    services.item_version_new_draft(actor=f.SYSTEM, implementation_item=item)
    with pytest.raises(ValidationError, match="正在编辑"):
        services.item_version_new_draft(
            actor=f.SYSTEM, implementation_item=published.implementation_item
        )


def test_publishing_a_new_version_supersedes_the_previous_one(units):
    old = f.item(
        unit=units["dept"], author=units["author"], reviewer=units["reviewer"], status="superseded"
    )

    assert old.status == "superseded"
    assert old.superseded_at is not None
    current = ItemVersion.objects.get(
        implementation_item=old.implementation_item, status="published"
    )
    assert current.number == 2
    assert current.hours == "工作日 8:30-17:30"
    assert audit_chain_verify().ok


def test_cancel_today_cancels_the_published_version_and_any_draft(units):
    published = f.item(unit=units["dept"], status="published")
    item = published.implementation_item
    draft = services.item_version_new_draft(actor=f.SYSTEM, implementation_item=item)

    services.item_cancel(
        actor=f.SYSTEM,
        implementation_item=item,
        planned_cancel_on=timezone.localdate(),
        reason="上级取消",
    )

    statuses = dict(
        ItemVersion.objects.filter(implementation_item=item).values_list("pk", "status")
    )
    assert statuses == {published.pk: "cancelled", draft.pk: "cancelled"}


def test_planned_cancel_waits_for_its_date(units):
    published = f.item(unit=units["dept"], status="published")
    later = timezone.localdate() + dt.timedelta(days=10)

    services.item_cancel(
        actor=f.SYSTEM,
        implementation_item=published.implementation_item,
        planned_cancel_on=later,
        reason="整合为一件事",
    )

    published.refresh_from_db()
    assert (published.status, published.planned_cancel_on) == ("published", later)
    day_before = later - dt.timedelta(days=1)
    assert services.item_cancellations_apply(actor=f.SYSTEM, today=day_before) == 0
    assert services.item_cancellations_apply(actor=f.SYSTEM, today=later) == 1
    published.refresh_from_db()
    assert published.status == "cancelled"


def test_cancelled_item_may_be_implemented_again_under_a_new_code(units):
    published = f.item(unit=units["dept"], status="published", name="旧事项")
    services.item_cancel(
        actor=f.SYSTEM,
        implementation_item=published.implementation_item,
        planned_cancel_on=timezone.localdate(),
        reason="调整",
    )

    again = f.item(unit=units["dept"], name="旧事项")

    assert again.implementation_item.implementation_code != (
        published.implementation_item.implementation_code
    )


def test_discarding_the_only_draft_drops_the_item_but_keeps_its_code_issued(units):
    version = f.item(unit=units["dept"], name="试点事项")
    code = version.implementation_item.implementation_code

    services.item_version_discard(actor=f.SYSTEM, version=version)

    assert not ImplementationItem.objects.filter(implementation_code=code).exists()
    again = f.item(unit=units["dept"], name="试点事项")
    assert again.implementation_item.implementation_code != code


def test_published_versions_cannot_be_discarded(units):
    published = f.item(unit=units["dept"], status="published")
    with pytest.raises(ValidationError, match="不能放弃"):
        services.item_version_discard(actor=f.SYSTEM, version=published)


def test_implementation_item_update_changes_identity_with_audit(units):
    version = f.item(unit=units["dept"])
    item = services.implementation_item_update(
        actor=f.SYSTEM,
        implementation_item=version.implementation_item,
        power_source="5",
        entrusting_body="市市场监管局",
    )
    assert (item.power_source, item.entrusting_body) == ("5", "市市场监管局")
    assert AuditEvent.objects.filter(action="catalog_item.update_identity").count() == 1


def test_material_files_are_validated_kept_across_edits_and_copied_to_new_drafts(units):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = f.item(unit=units["dept"], author=units["author"])
    with pytest.raises(ValidationError, match="空白表格"):
        services.material_file_attach(
            actor=units["author"],
            version=version,
            position=1,
            kind="blank_form",
            upload=SimpleUploadedFile("a.exe", b"MZ"),
        )
    services.material_file_attach(
        actor=units["author"],
        version=version,
        position=1,
        kind="blank_form",
        upload=SimpleUploadedFile("申请书.pdf", b"%PDF-1.4\n%demo\n"),
    )
    services.item_version_update(
        actor=units["author"], version=version, guide={"hours": "工作日 9:00-12:00"}
    )
    kept = version.materials.get(position=1).blank_form.name
    assert kept.endswith(".pdf")

    services.item_version_submit(actor=units["author"], version=version)
    services.item_version_review(actor=units["reviewer"], version=version, approve=True)
    services.item_version_publish(actor=units["author"], version=version)
    with pytest.raises(ValidationError, match="不能上传材料文件"):
        services.material_file_attach(
            actor=units["author"], version=version, position=1, kind="sample", upload=None
        )
    draft = services.item_version_new_draft(
        actor=units["author"], implementation_item=version.implementation_item
    )
    assert draft.materials.get(position=1).blank_form.name == kept


def test_a_rejected_draft_can_be_discarded_with_its_reviews(units):
    version = f.item(unit=units["dept"], author=units["author"], status="in_review")
    services.item_version_review(
        actor=units["reviewer"], version=version, approve=False, comment="请重写"
    )
    services.item_version_discard(actor=units["author"], version=version)
    assert not ItemReview.objects.exists()
    assert AuditEvent.objects.filter(action="catalog_item.reject").exists()
