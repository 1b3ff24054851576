"""Catalogue endpoints under /api/v1/catalog/.

Reading published items, their version history and diffs, search and life events is
public (``public``). Writing (drafts, review, publication, new drafts, cancellation) is for
catalogue admins in scope (``admin``) and goes through ``catalog.services``, which check the
role, the status and the four-eyes rule; their ``ValidationError``/``PermissionDenied``
become problems. A draft outside the caller's scope does not exist for them (404); a
published item outside it can be read but not changed (403). ``shaping`` builds the dicts
both sides answer with.
"""

from sanyi.catalog.api.views.admin import (
    CatalogCancelView,
    CatalogDraftCreateView,
    CatalogNewDraftView,
    CatalogVersionLintView,
    CatalogVersionPublishView,
    CatalogVersionReviewView,
    CatalogVersionSubmitView,
    CatalogVersionView,
)
from sanyi.catalog.api.views.public import (
    CatalogItemDetailView,
    CatalogItemDiffView,
    CatalogItemListView,
    CatalogItemVersionsView,
    CatalogLifeEventDetailView,
    CatalogLifeEventListView,
    CatalogReductionReportView,
)
from sanyi.catalog.api.views.shaping import (
    CODE,
    EVENT_ID,
    TAG_ADMIN,
    TAG_PUBLIC,
    VERSION_ID,
    item_summary,
    version_data,
    version_summary,
)

__all__ = [
    "CODE",
    "EVENT_ID",
    "TAG_ADMIN",
    "TAG_PUBLIC",
    "VERSION_ID",
    "CatalogCancelView",
    "CatalogDraftCreateView",
    "CatalogItemDetailView",
    "CatalogItemDiffView",
    "CatalogItemListView",
    "CatalogItemVersionsView",
    "CatalogLifeEventDetailView",
    "CatalogLifeEventListView",
    "CatalogNewDraftView",
    "CatalogReductionReportView",
    "CatalogVersionLintView",
    "CatalogVersionPublishView",
    "CatalogVersionReviewView",
    "CatalogVersionSubmitView",
    "CatalogVersionView",
    "item_summary",
    "version_data",
    "version_summary",
]
