"""Writing grid work (the app's public API): the address mapping (import, export, placing
applicants), doorstep visits (confirmation codes, recording, the audited ID look), the
visit log with its daily reminder, the supervision export, event reports (上报, 受理, 转派,
办结, 转办件, 主动服务) and help to apply (帮办代办) for residents of the officer's grid."""

from sanyi.grid.services.assist import (
    AssistCodeSent,
    assist_code_request,
    assist_consent,
    assist_materials,
    assist_start,
    assist_submit,
)
from sanyi.grid.services.events import (
    MAX_EVENT_PHOTOS,
    EventInput,
    event_accept,
    event_close,
    event_due,
    event_offer,
    event_report,
    event_route,
    event_to_case,
)
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
    "MAX_EVENT_PHOTOS",
    "MAX_PHOTOS",
    "PHOTO_MAX_BYTES",
    "AssistCodeSent",
    "EventInput",
    "HouseholdVisitInput",
    "RulesImport",
    "VisitCodeSent",
    "VisitInput",
    "applicants_place",
    "assist_code_request",
    "assist_consent",
    "assist_materials",
    "assist_start",
    "assist_submit",
    "event_accept",
    "event_close",
    "event_due",
    "event_offer",
    "event_report",
    "event_route",
    "event_to_case",
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
