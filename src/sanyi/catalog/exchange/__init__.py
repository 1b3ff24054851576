"""Import and export of the catalogue: the JSON format of docs/catalog-format.md and the
Excel workbook with the same fields in Chinese columns.

Import checks every item first and reports every problem at once (JSON: item index and
field path; Excel: sheet, row and column). It then writes everything in one transaction,
or nothing: with ``dry_run`` the transaction is rolled back after the full pass, so a dry
run also meets the database's own checks. Re-importing an implementation code makes a new
version only when the guide changed.

This package is the public API of import and export: every public name is importable
from here. The modules follow the stages of an exchange: ``document`` (exporting the
catalogue, reading and writing JSON), ``columns`` (the workbook's columns and cell
conversions), ``workbook`` (writing, the template and reading an .xlsx), ``planning``
(checking the document and planning each item), ``writing`` (saving planned items and
life events) and ``importing`` (the import itself). ``_common`` holds the result and
problem types and the lookups they share.
"""

from sanyi.catalog.exchange._common import (
    CELL_LOCATION,
    FORMAT_NAME,
    FORMAT_VERSION,
    IDENTITY_KEYS,
    IMPORT_ACTOR,
    REQUIRED_IDENTITY,
    ImportFailed,
    ImportProblem,
    ImportResult,
    Locator,
    PlannedItem,
    Progress,
    UnitIndex,
    json_locator,
)
from sanyi.catalog.exchange.columns import (
    CHILD_SHEETS,
    EVENT_COLUMNS,
    ITEM_COLUMNS,
    ITEM_KEY,
    LIST_SEPARATORS,
    OPTIONAL_CHILD_COLUMNS,
    Column,
)
from sanyi.catalog.exchange.document import catalog_export, export_json, read_json
from sanyi.catalog.exchange.importing import catalog_import, catalog_import_file
from sanyi.catalog.exchange.workbook import (
    UNREADABLE,
    WorkbookLocator,
    export_xlsx,
    read_xlsx,
    template_xlsx,
)

__all__ = [
    "CELL_LOCATION",
    "CHILD_SHEETS",
    "EVENT_COLUMNS",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "IDENTITY_KEYS",
    "IMPORT_ACTOR",
    "ITEM_COLUMNS",
    "ITEM_KEY",
    "LIST_SEPARATORS",
    "OPTIONAL_CHILD_COLUMNS",
    "REQUIRED_IDENTITY",
    "UNREADABLE",
    "Column",
    "ImportFailed",
    "ImportProblem",
    "ImportResult",
    "Locator",
    "PlannedItem",
    "Progress",
    "UnitIndex",
    "WorkbookLocator",
    "catalog_export",
    "catalog_import",
    "catalog_import_file",
    "export_json",
    "export_xlsx",
    "json_locator",
    "read_json",
    "read_xlsx",
    "template_xlsx",
]
