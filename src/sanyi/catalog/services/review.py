"""Checking a version (lint), submitting it for review and the second admin's review."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.catalog.centre_check import unit_centres
from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.guide import (
    guide_of,
    versions_with_children,
)
from sanyi.catalog.lint import Severity, lint_guide
from sanyi.catalog.models import (
    ItemReview,
    ItemVersion,
)
from sanyi.catalog.services._common import (
    _reload,
    _require_editor,
    _require_status,
    holds_catalog_admin,
)
from sanyi.core.actors import Actor, actor_user, is_user


def version_lint(version: ItemVersion) -> list:
    full = versions_with_children(
        ItemVersion.objects.select_related(
            "implementation_item__base_item", "implementation_item__implementing_unit"
        )
    ).get(pk=version.pk)
    item = full.implementation_item
    return lint_guide(
        guide_of(full),
        item_type=item.base_item.item_type,
        centres=unit_centres(item.implementing_unit),
    )


def _block_on_lint_errors(version: ItemVersion) -> None:
    findings = [f for f in version_lint(version) if f.severity == Severity.ERROR]
    if findings:
        raise ValidationError(
            ["指南存在以下问题，须改正后才能提交或发布："]
            + [f"{f.path or '整体'}：{f.message}（{f.code}）" for f in findings]
        )


@transaction.atomic
def item_version_submit(*, actor: Actor, version: ItemVersion) -> ItemVersion:
    """Send a draft to review. Lint errors block it."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="提交审核")
    _block_on_lint_errors(version)
    version.status = VersionStatus.IN_REVIEW
    version.submitted_at = timezone.now()
    version.submitted_by = actor_user(actor)
    version.reviewed_by = None
    version.reviewed_at = None
    version.save(
        update_fields=["status", "submitted_at", "submitted_by", "reviewed_by", "reviewed_at"]
    )
    audit_record(
        actor=actor,
        action="catalog_item.submit",
        obj=version,
        changes={"status": ["draft", "in_review"]},
    )
    return version


@transaction.atomic
def item_version_review(
    *, actor: Actor, version: ItemVersion, approve: bool, comment: str = ""
) -> ItemReview:
    """Four-eyes review: a second catalogue admin of the unit approves or sends it back."""
    version = _reload(version, lock=True)
    unit = version.implementation_item.implementing_unit
    if not is_user(actor):
        raise PermissionDenied("审核须由事项管理员本人进行，系统不能代为审核")
    if not holds_catalog_admin(actor, unit):
        raise PermissionDenied(f"您不是“{unit.name}”的事项管理员，不能审核该事项")
    _require_status(version, VersionStatus.IN_REVIEW, doing="审核")
    if version.reviewed_by_id:
        raise ValidationError(f"{version}已审核通过，等待发布")
    if actor.pk in version.author_ids():
        raise PermissionDenied(
            "编写、修改或提交过本版本的人不能审核本版本，请由另一位事项管理员审核"
        )
    comment = (comment or "").strip()
    if not approve and not comment:
        raise ValidationError({"comment": "退回时请写明审核意见"})
    review = ItemReview.objects.create(
        version=version, reviewer=actor, approved=approve, comment=comment
    )
    if approve:
        version.reviewed_by = actor
        version.reviewed_at = review.created_at
        version.save(update_fields=["reviewed_by", "reviewed_at"])
        changes: dict[str, list[Any]] = {"reviewed_by": [None, actor.pk]}
    else:
        version.status = VersionStatus.DRAFT
        version.save(update_fields=["status"])
        changes = {"status": ["in_review", "draft"]}
    audit_record(
        actor=actor,
        action="catalog_item.approve" if approve else "catalog_item.reject",
        obj=version,
        changes=changes,
        note=comment,
    )
    return review
