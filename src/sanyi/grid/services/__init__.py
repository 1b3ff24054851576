"""Writing grid work (the app's public API): the address mapping (import, export, placing
applicants) and doorstep visits (confirmation codes, recording, the audited ID look)."""

from sanyi.grid.services.photos import MAX_PHOTOS, PHOTO_MAX_BYTES
from sanyi.grid.services.rules import (
    COLUMNS,
    RulesImport,
    applicants_place,
    rules_export,
    rules_import,
    rules_read,
)
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
    "RulesImport",
    "VisitCodeSent",
    "VisitInput",
    "applicants_place",
    "rules_export",
    "rules_import",
    "rules_read",
    "visit_code_request",
    "visit_id_reveal",
    "visit_record",
]
