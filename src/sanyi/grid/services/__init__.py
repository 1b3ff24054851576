"""Writing grid work (the app's public API): the address mapping (import, export, placing
applicants), doorstep visits (confirmation codes, recording, the audited ID look), the
visit log with its daily reminder, and the supervision export."""

from sanyi.grid.services.households import (
    HouseholdVisitInput,
    household_visit_record,
    next_due_default,
    visit_reminders_send,
)
from sanyi.grid.services.photos import MAX_PHOTOS, PHOTO_MAX_BYTES
from sanyi.grid.services.rules import (
    COLUMNS,
    RulesImport,
    applicants_place,
    rules_export,
    rules_import,
    rules_read,
)
from sanyi.grid.services.supervision import supervision_export
from sanyi.grid.services.visits import (
    VisitCodeSent,
    VisitInput,
    visit_code_request,
    visit_id_reveal,
    visit_record,
)

__all__ = [
    "COLUMNS",
    "MAX_PHOTOS",
    "PHOTO_MAX_BYTES",
    "HouseholdVisitInput",
    "RulesImport",
    "VisitCodeSent",
    "VisitInput",
    "applicants_place",
    "household_visit_record",
    "next_due_default",
    "rules_export",
    "rules_import",
    "rules_read",
    "supervision_export",
    "visit_code_request",
    "visit_id_reveal",
    "visit_record",
    "visit_reminders_send",
]
