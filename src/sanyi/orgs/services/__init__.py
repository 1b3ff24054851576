"""Writing the org tree, service centers, staff and roles. Every write is audited.

Each service is keyword-only, runs in one transaction and names its actor (a staff
``User`` or a label such as "系统：演示数据"). Bad input raises ``ValidationError`` with
Chinese messages keyed by field name, so forms and the Excel import can show them.

This package is the app's public API: every public name is importable from here. The
modules follow what is written: ``units`` (the org tree), ``centers`` (service centers and
their windows), ``staff`` (staff accounts, second factors and roles) and ``tree_import``
(the Excel import of units, centers and windows). ``_common`` holds the field lists and
the helpers they share.
"""

from sanyi.orgs.services._common import (
    ORG_UNIT_AUDIT_FIELDS,
    ORG_UNIT_EDITABLE_FIELDS,
    SERVICE_CENTER_FIELDS,
    STAFF_FIELDS,
    WINDOW_FIELDS,
)
from sanyi.orgs.services.centers import (
    service_center_create,
    service_center_update,
    window_create,
    window_update,
)
from sanyi.orgs.services.staff import (
    role_assign,
    role_revoke,
    staff_create,
    staff_deactivate,
    staff_totp_device_create,
    staff_update,
    staff_walkthrough_dismiss,
)
from sanyi.orgs.services.tree_import import ImportSummary, org_tree_import
from sanyi.orgs.services.units import (
    org_unit_abolish,
    org_unit_create,
    org_unit_delete,
    org_unit_move,
    org_unit_reactivate,
    org_unit_update,
)

__all__ = [
    "ORG_UNIT_AUDIT_FIELDS",
    "ORG_UNIT_EDITABLE_FIELDS",
    "SERVICE_CENTER_FIELDS",
    "STAFF_FIELDS",
    "WINDOW_FIELDS",
    "ImportSummary",
    "org_tree_import",
    "org_unit_abolish",
    "org_unit_create",
    "org_unit_delete",
    "org_unit_move",
    "org_unit_reactivate",
    "org_unit_update",
    "role_assign",
    "role_revoke",
    "service_center_create",
    "service_center_update",
    "staff_create",
    "staff_deactivate",
    "staff_totp_device_create",
    "staff_update",
    "staff_walkthrough_dismiss",
    "window_create",
    "window_update",
]
