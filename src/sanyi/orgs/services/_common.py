"""What the org services share: the audited and editable field lists, and small helpers
for codes and error messages.
"""

from __future__ import annotations

from sanyi.orgs.models import (
    OrgUnit,
)

ORG_UNIT_AUDIT_FIELDS = [
    "parent",
    "code",
    "kind",
    "is_rural",
    "name",
    "short_name",
    "division_code",
    "uscc",
    "phone",
    "email",
    "address",
    "opening_hours",
    "sort_order",
    "is_active",
    "established_on",
    "abolished_on",
    "notes",
]
# Fields org_unit_update may change. Kind and parent change only through org_unit_move
# (kind never: children depend on it); active state only through abolish/reactivate.
ORG_UNIT_EDITABLE_FIELDS = [
    "code",
    "is_rural",
    "name",
    "short_name",
    "division_code",
    "uscc",
    "phone",
    "email",
    "address",
    "opening_hours",
    "sort_order",
    "established_on",
    "notes",
]
SERVICE_CENTER_FIELDS = [
    "org_unit",
    "name",
    "address",
    "phone",
    "opening_hours",
    "transport",
    "latitude",
    "longitude",
    "is_active",
]
WINDOW_FIELDS = ["center", "number", "name", "is_comprehensive", "is_active"]
STAFF_FIELDS = ["username", "full_name", "phone", "email", "is_active"]
# How many names an error message lists before it says "等N个".
_NAMES_SHOWN = 10


def _names(items: list[str]) -> str:
    shown = "、".join(items[:_NAMES_SHOWN])
    if len(items) > _NAMES_SHOWN:
        shown += f"等{len(items)}个"
    return shown


def _auto_code(pk: int) -> str:
    code, n = f"U{pk:06d}", 1
    while OrgUnit.objects.filter(code=code).exists():
        n += 1
        code = f"U{pk:06d}-{n}"
    return code
