from django.urls import path

from sanyi.catalog.api import search, views
from sanyi.catalog.api.eligibility import CatalogEligibilityView
from sanyi.catalog.api.life_events import LifeEventAdminListView, LifeEventAdminView

urlpatterns = [
    path("catalog/items/", views.CatalogItemListView.as_view(), name="catalog-item-list"),
    path(
        "catalog/items/<str:implementation_code>/",
        views.CatalogItemDetailView.as_view(),
        name="catalog-item-detail",
    ),
    path(
        "catalog/items/<str:implementation_code>/eligibility/",
        CatalogEligibilityView.as_view(),
        name="catalog-item-eligibility",
    ),
    path(
        "catalog/items/<str:implementation_code>/versions/",
        views.CatalogItemVersionsView.as_view(),
        name="catalog-item-versions",
    ),
    path(
        "catalog/items/<str:implementation_code>/diff/",
        views.CatalogItemDiffView.as_view(),
        name="catalog-item-diff",
    ),
    path(
        "catalog/items/<str:implementation_code>/new-draft/",
        views.CatalogNewDraftView.as_view(),
        name="catalog-item-new-draft",
    ),
    path(
        "catalog/items/<str:implementation_code>/cancel/",
        views.CatalogCancelView.as_view(),
        name="catalog-item-cancel",
    ),
    path("catalog/search/", search.CatalogSearchView.as_view(), name="catalog-search"),
    path(
        "catalog/life-events/",
        views.CatalogLifeEventListView.as_view(),
        name="catalog-life-event-list",
    ),
    path(
        "catalog/life-events/<int:pk>/",
        views.CatalogLifeEventDetailView.as_view(),
        name="catalog-life-event-detail",
    ),
    path(
        "catalog/admin/life-events/",
        LifeEventAdminListView.as_view(),
        name="catalog-life-event-admin-list",
    ),
    path(
        "catalog/admin/life-events/<int:pk>/",
        LifeEventAdminView.as_view(),
        name="catalog-life-event-admin",
    ),
    path(
        "catalog/reduction-report/",
        views.CatalogReductionReportView.as_view(),
        name="catalog-reduction-report",
    ),
    path("catalog/drafts/", views.CatalogDraftCreateView.as_view(), name="catalog-draft-create"),
    path("catalog/versions/<int:pk>/", views.CatalogVersionView.as_view(), name="catalog-version"),
    path(
        "catalog/versions/<int:pk>/submit/",
        views.CatalogVersionSubmitView.as_view(),
        name="catalog-version-submit",
    ),
    path(
        "catalog/versions/<int:pk>/review/",
        views.CatalogVersionReviewView.as_view(),
        name="catalog-version-review",
    ),
    path(
        "catalog/versions/<int:pk>/publish/",
        views.CatalogVersionPublishView.as_view(),
        name="catalog-version-publish",
    ),
    path(
        "catalog/versions/<int:pk>/lint/",
        views.CatalogVersionLintView.as_view(),
        name="catalog-version-lint",
    ),
]
