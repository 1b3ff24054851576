"""Publishing versions (from review or from an import) and cancelling items, now or on a
scheduled day.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sanyi.audit.services import audit_record
from sanyi.catalog.choices import (
    VersionStatus,
)
from sanyi.catalog.models import (
    ImplementationItem,
    ItemVersion,
)
from sanyi.catalog.services._common import (
    _lock_item,
    _reload,
    _require_editor,
    _require_status,
    actor_label,
)
from sanyi.catalog.services.review import _block_on_lint_errors
from sanyi.catalog.signals import item_published
from sanyi.core.actors import Actor, is_user
from sanyi.core.pagecache import public_content_changed


def _publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None, action: str
) -> None:
    today = timezone.localdate()
    effective_on = effective_on or version.effective_on or today
    if effective_on > today:
        raise ValidationError(
            {
                "effective_on": (
                    f"生效日期{effective_on:%Y-%m-%d}晚于今天；发布即生效，请在生效当日发布"
                )
            }
        )
    previous = ItemVersion.objects.filter(
        implementation_item_id=version.implementation_item_id, status=VersionStatus.PUBLISHED
    ).first()
    now = timezone.now()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.superseded_at = now
        previous.save(update_fields=["status", "superseded_at"])
    before_status = version.status
    version.status = VersionStatus.PUBLISHED
    version.published_at = now
    version.published_by_label = actor_label(actor)
    version.effective_on = effective_on
    version.save(update_fields=["status", "published_at", "published_by_label", "effective_on"])
    audit_record(
        actor=actor,
        action=action,
        obj=version,
        changes={
            "status": [before_status, "published"],
            "effective_on": [None, effective_on],
            "superseded": [None, previous.number if previous else None],
        },
    )
    transaction.on_commit(
        lambda: item_published.send(sender=ItemVersion, version=version, previous=previous)
    )
    public_content_changed()


@transaction.atomic
def item_version_publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None = None
) -> ItemVersion:
    """Publish an approved version; the version it replaces becomes superseded."""
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.IN_REVIEW, doing="发布")
    if not version.reviewed_by_id:
        raise ValidationError(f"{version}尚未经第二位事项管理员审核通过，不能发布")
    if version.reviewed_by_id in version.author_ids():
        raise PermissionDenied(f"{version}的审核人编写、修改或提交过本版本，审核无效，不能发布")
    _block_on_lint_errors(version)
    _publish(actor=actor, version=version, effective_on=effective_on, action="catalog_item.publish")
    return version


@transaction.atomic
def item_import_publish(
    *, actor: Actor, version: ItemVersion, effective_on: dt.date | None = None
) -> ItemVersion:
    """Publish a draft straight from the demo loader's import, skipping review.

    Only a system actor (the demo loader) may: every person's import goes through review
    (``catalog_import`` submits instead). Lint errors still block.
    """
    if is_user(actor):
        raise PermissionDenied("事项须经第二位事项管理员审核后发布，导入不能直接发布")
    version = _reload(version, lock=True)
    _require_editor(actor, version.implementation_item.implementing_unit)
    _require_status(version, VersionStatus.DRAFT, doing="发布")
    _block_on_lint_errors(version)
    _publish(
        actor=actor,
        version=version,
        effective_on=effective_on,
        action="catalog_item.import_publish",
    )
    return version


@transaction.atomic
def item_cancel(
    *,
    actor: Actor,
    implementation_item: ImplementationItem,
    planned_cancel_on: dt.date,
    reason: str,
) -> ImplementationItem:
    """Cancel an item on ``planned_cancel_on``: at once when that day has come, otherwise
    the date is announced on the published guide and ``item_cancellations_apply`` ends it."""
    item = _lock_item(implementation_item)
    _require_editor(actor, item.implementing_unit)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请写明取消原因"})
    published = item.versions.filter(status=VersionStatus.PUBLISHED).first()
    if published is None:
        raise ValidationError(f"实施编码{item.implementation_code}没有已发布的版本，无需取消")
    published.planned_cancel_on = planned_cancel_on
    published.cancel_reason = reason
    published.save(update_fields=["planned_cancel_on", "cancel_reason"])
    audit_record(
        actor=actor,
        action="catalog_item.plan_cancel",
        obj=item,
        changes={"planned_cancel_on": [None, planned_cancel_on]},
        note=reason,
    )
    public_content_changed()  # the guide announces the date
    if planned_cancel_on <= timezone.localdate():
        _cancel_now(actor=actor, item=item)
    return item


def _cancel_now(*, actor: Actor, item: ImplementationItem) -> None:
    now = timezone.now()
    live = list(
        item.versions.filter(
            status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT, VersionStatus.IN_REVIEW]
        )
    )
    for version in live:
        before = version.status
        version.status = VersionStatus.CANCELLED
        version.cancelled_at = now
        version.save(update_fields=["status", "cancelled_at"])
        audit_record(
            actor=actor,
            action="catalog_item.cancel",
            obj=version,
            changes={"status": [before, "cancelled"]},
        )
    public_content_changed()


@transaction.atomic
def item_cancellations_apply(*, actor: Actor, today: dt.date) -> int:
    """Cancel every published item whose planned cancel date has come. Returns how many."""
    due = ImplementationItem.objects.filter(
        versions__status=VersionStatus.PUBLISHED, versions__planned_cancel_on__lte=today
    ).select_for_update()
    count = 0
    for item in due:
        _cancel_now(actor=actor, item=item)
        count += 1
    return count
