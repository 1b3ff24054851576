"""Reading directories and publications.

``publication_public_qs(now)`` is the one definition of "public": every public surface
(list pages, the publication page, attachment downloads, feeds, the sitemap, search hits)
starts from it. A record is public when it is proactive, its status is scheduled or
published, and its publish time has come. Drafts, records in review or approved but not
published, on-request and not-disclosed records and revoked ones are never public.

Every public name is importable from this package. The modules follow who reads what:
``public`` (what anyone may see), ``staff`` (the workbench's publications and review
queue), ``directory`` (directory entries, the negative list and duplicates),
``timeliness`` (publish-by dates and overdue records) and ``checks`` (unsafe links and
the audit-history checks).
"""

from sanyi.openness.selectors.board import (
    Board,
    BoardItem,
    board_get,
    board_level_counts,
    board_notice_public_get,
    board_pending_for,
    board_subscription_get,
    board_unit_get,
)
from sanyi.openness.selectors.checks import HISTORY_CHECKS, UnsafeLink, unsafe_links
from sanyi.openness.selectors.directory import (
    DIRECTORY_ORDER,
    LEVEL_RANK,
    DirectoryFilters,
    DuplicateEntry,
    directory_duplicates,
    directory_entry_get,
    directory_entry_list,
    negative_entries_for,
    negative_entry_get,
    negative_entry_list,
)
from sanyi.openness.selectors.public import (
    PUBLIC_STATUSES,
    PublicFilters,
    area_list_public,
    directory_entries_public,
    is_public,
    next_public_release,
    public_among,
    public_units_with_counts,
    publication_public_get,
    publication_public_list,
    publication_public_qs,
    publication_public_years,
    publications_of_units_public,
)
from sanyi.openness.selectors.staff import (
    OPENNESS_ROLES,
    StaffPublicationFilters,
    is_disclosure_officer,
    is_openness_staff,
    openness_units,
    publication_counts,
    publication_list,
    publication_staff_get,
    review_queue,
)
from sanyi.openness.selectors.timeliness import (
    OverdueItem,
    PublishBy,
    Timeliness,
    TimelinessFilters,
    TimelinessRow,
    publication_overdue,
    publication_timeliness,
    publications_unpublished_past_due,
    publish_by,
)

__all__ = [
    "DIRECTORY_ORDER",
    "HISTORY_CHECKS",
    "LEVEL_RANK",
    "OPENNESS_ROLES",
    "PUBLIC_STATUSES",
    "Board",
    "BoardItem",
    "DirectoryFilters",
    "DuplicateEntry",
    "OverdueItem",
    "PublicFilters",
    "PublishBy",
    "StaffPublicationFilters",
    "Timeliness",
    "TimelinessFilters",
    "TimelinessRow",
    "UnsafeLink",
    "area_list_public",
    "board_get",
    "board_level_counts",
    "board_notice_public_get",
    "board_pending_for",
    "board_subscription_get",
    "board_unit_get",
    "directory_duplicates",
    "directory_entries_public",
    "directory_entry_get",
    "directory_entry_list",
    "is_disclosure_officer",
    "is_openness_staff",
    "is_public",
    "negative_entries_for",
    "negative_entry_get",
    "negative_entry_list",
    "next_public_release",
    "openness_units",
    "public_among",
    "public_units_with_counts",
    "publication_counts",
    "publication_list",
    "publication_overdue",
    "publication_public_get",
    "publication_public_list",
    "publication_public_qs",
    "publication_public_years",
    "publication_staff_get",
    "publication_timeliness",
    "publications_of_units_public",
    "publications_unpublished_past_due",
    "publish_by",
    "review_queue",
    "unsafe_links",
]
