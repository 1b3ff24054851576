"""Writing the negative list (不予公开清单)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from sanyi.audit.services import audit_record, diff, snapshot
from sanyi.core.actors import Actor
from sanyi.openness.choices import (
    NonDisclosureGround,
)
from sanyi.openness.models import (
    NegativeListEntry,
)
from sanyi.openness.services._common import _require_officer
from sanyi.orgs.models import OrgUnit

NEGATIVE_FIELDS = ["org_unit", "area", "title", "description", "ground", "basis", "is_active"]


def _clean_negative(item: NegativeListEntry) -> None:
    errors = {}
    item.title = " ".join((item.title or "").split())
    if not item.title or len(item.title) > 200:
        errors["title"] = "不予公开的事项不能为空，且不超过200个字"
    elif (
        NegativeListEntry.objects.filter(org_unit_id=item.org_unit_id, title=item.title)
        .exclude(pk=item.pk)
        .exists()
    ):
        errors["title"] = "本单位负面清单中已有同名事项"
    if item.ground not in NonDisclosureGround.values:
        errors["ground"] = "请选择不予公开的法定依据（条例第十四、十五、十六条）"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def negative_entry_create(
    *, actor: Actor, org_unit: OrgUnit, title: str, ground: str, **fields: Any
) -> NegativeListEntry:
    _require_officer(actor, org_unit)
    item = NegativeListEntry(org_unit=org_unit, title=title, ground=ground, **fields)
    _clean_negative(item)
    item.save()
    audit_record(
        actor=actor,
        action="negative_entry.create",
        obj=item,
        changes={k: [None, v] for k, v in snapshot(item, NEGATIVE_FIELDS).items()},
    )
    return item


@transaction.atomic
def negative_entry_update(
    *, actor: Actor, item: NegativeListEntry, **fields: Any
) -> NegativeListEntry:
    item = (
        NegativeListEntry.objects.select_for_update(of=("self",))
        .select_related("org_unit")
        .get(pk=item.pk)
    )
    _require_officer(actor, item.org_unit)
    before = snapshot(item, NEGATIVE_FIELDS)
    for name, value in fields.items():
        if name not in NEGATIVE_FIELDS or name == "org_unit":
            raise TypeError(f"field {name} cannot be changed")
        setattr(item, name, value)
    _clean_negative(item)
    changes = diff(before, snapshot(item, NEGATIVE_FIELDS))
    if changes:
        item.save()
        audit_record(actor=actor, action="negative_entry.update", obj=item, changes=changes)
    return item
