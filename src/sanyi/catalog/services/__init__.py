"""Writing the catalogue: items, versions and their lifecycle, life events.

Every service is keyword-only, names its actor first, runs in one transaction and leaves
an audit row. The actor is a staff ``User`` (who must hold the catalogue-admin role for
the implementing unit) or a system label such as "系统：导入".

Lifecycle of a version: draft → in_review → (approved by a second catalogue admin) →
published → superseded / cancelled. Published versions never change; editing a published
item opens a new draft of the same code.

This package is the app's public API: every public name is importable from here. The
modules follow the lifecycle: ``items`` (creating an item and editing its identity),
``drafts`` (editing, new drafts, discarding, material files), ``review`` (checks,
submitting and reviewing), ``rules`` (a draft's eligibility rules), ``publication``
(publishing and cancelling) and ``life_events``. ``_common`` holds the permission,
locking and status checks they share.
"""

from sanyi.catalog.services._common import IDENTITY_FIELDS, actor_label, holds_catalog_admin
from sanyi.catalog.services.drafts import (
    MATERIAL_FILE_FIELDS,
    item_version_discard,
    item_version_new_draft,
    item_version_update,
    material_file_attach,
)
from sanyi.catalog.services.items import implementation_item_update, item_create
from sanyi.catalog.services.life_event_edit import life_event_edit
from sanyi.catalog.services.life_events import life_event_arrange, life_event_save
from sanyi.catalog.services.publication import (
    item_cancel,
    item_cancellations_apply,
    item_import_publish,
    item_version_publish,
)
from sanyi.catalog.services.review import item_version_review, item_version_submit, version_lint
from sanyi.catalog.services.rules import (
    eligibility_rule_delete,
    eligibility_rule_save,
    rule_problems,
)

__all__ = [
    "IDENTITY_FIELDS",
    "MATERIAL_FILE_FIELDS",
    "actor_label",
    "eligibility_rule_delete",
    "eligibility_rule_save",
    "holds_catalog_admin",
    "implementation_item_update",
    "item_cancel",
    "item_cancellations_apply",
    "item_create",
    "item_import_publish",
    "item_version_discard",
    "item_version_new_draft",
    "item_version_publish",
    "item_version_review",
    "item_version_submit",
    "item_version_update",
    "life_event_arrange",
    "life_event_edit",
    "life_event_save",
    "material_file_attach",
    "rule_problems",
    "version_lint",
]
