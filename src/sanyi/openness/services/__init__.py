"""Writing directories, the negative list and publications.

Every function names its actor and writes an audit row in the same transaction; search
indexing and scheduled tasks run on commit. A staff actor must hold the disclosure
officer role on the unit concerned; a string actor ("系统：导入") is the system itself.

This package is the app's public API: every public name is importable from here. The
modules follow what is written: ``directory`` (areas and directory entries),
``negative_list``, ``drafting`` (a publication from draft to review),
``interpretations`` (政策解读: text, picture, video), ``publishing``
(index numbers, publishing, revoking, validity) and ``alerts`` (timeliness). ``_common``
holds the HTML cleaning and the officer check they share.
"""

from sanyi.openness.services._common import html_to_text, text_to_html
from sanyi.openness.services._richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, sanitize_html
from sanyi.openness.services.alerts import OVERDUE_EVENT, publication_overdue_alert
from sanyi.openness.services.board import (
    BOARD_FIVE_KINDS,
    BOARD_KINDS,
    NOTICE_EVENT,
    board_notice_post,
    board_notify_published,
    board_subscribe,
    board_unsubscribe,
    may_post,
)
from sanyi.openness.services.directory import (
    ENTRY_FIELDS,
    LEVEL_KINDS,
    area_create,
    directory_entry_create,
    directory_entry_update,
)
from sanyi.openness.services.drafting import (
    AUDIT_FIELDS,
    DRAFT_FIELDS,
    publication_attachment_add,
    publication_create,
    publication_review,
    publication_submit,
    publication_update,
)
from sanyi.openness.services.interpretations import VideoUpload, interpretation_create
from sanyi.openness.services.negative_list import (
    NEGATIVE_FIELDS,
    negative_entry_create,
    negative_entry_update,
)
from sanyi.openness.services.publishing import (
    allocate_index_number,
    publication_publish,
    publication_publish_due,
    publication_revoke,
    publication_validity_set,
)

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_TAGS",
    "AUDIT_FIELDS",
    "BOARD_FIVE_KINDS",
    "BOARD_KINDS",
    "DRAFT_FIELDS",
    "ENTRY_FIELDS",
    "LEVEL_KINDS",
    "NEGATIVE_FIELDS",
    "NOTICE_EVENT",
    "OVERDUE_EVENT",
    "VideoUpload",
    "allocate_index_number",
    "area_create",
    "board_notice_post",
    "board_notify_published",
    "board_subscribe",
    "board_unsubscribe",
    "directory_entry_create",
    "directory_entry_update",
    "html_to_text",
    "interpretation_create",
    "may_post",
    "negative_entry_create",
    "negative_entry_update",
    "publication_attachment_add",
    "publication_create",
    "publication_overdue_alert",
    "publication_publish",
    "publication_publish_due",
    "publication_review",
    "publication_revoke",
    "publication_submit",
    "publication_update",
    "publication_validity_set",
    "sanitize_html",
    "text_to_html",
]
