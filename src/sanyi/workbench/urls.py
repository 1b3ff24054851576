"""Workbench routes. Sections from other apps append their paths to this list."""

from django.urls import include, path

from sanyi.workbench.views import account, history, home
from sanyi.workbench.views.catalog import imports as catalog_imports
from sanyi.workbench.views.catalog import items as catalog_items
from sanyi.workbench.views.catalog import reports as catalog_reports

app_name = "workbench"
urlpatterns = [
    path("", home.home, name="home"),
    path(
        "history/<str:object_type>/<str:object_id>/",
        history.object_history_page,
        name="object_history",
    ),
    path("account/", account.account_security, name="account_security"),
    path("account/password/", account.password_change, name="password_change"),
]
urlpatterns += [
    path("orgs/", include("sanyi.orgs.web.urls_staff")),
]

# The catalogue's admin pages (sanyi.workbench.views.catalog).
urlpatterns += [
    path("catalog/", catalog_items.item_list, name="catalog_items"),
    path("catalog/new/", catalog_items.item_create, name="catalog_item_create"),
    path("catalog/lint/", catalog_items.lint_preview, name="catalog_lint"),
    path("catalog/reviews/", catalog_items.review_list, name="catalog_reviews"),
    path("catalog/quality/", catalog_reports.quality, name="catalog_quality"),
    path("catalog/reduction/", catalog_reports.reduction, name="catalog_reduction"),
    path("catalog/zero-results/", catalog_reports.zero_results, name="catalog_zero_results"),
    path("catalog/import/", catalog_imports.import_page, name="catalog_import"),
    path(
        "catalog/import/template.xlsx",
        catalog_imports.import_template,
        name="catalog_import_template",
    ),
    path("catalog/import/<str:job_id>/", catalog_imports.import_job, name="catalog_import_job"),
    path(
        "catalog/import/<str:job_id>/run/",
        catalog_imports.import_job_run,
        name="catalog_import_run",
    ),
    path("catalog/versions/<int:pk>/", catalog_items.version_detail, name="catalog_version"),
    path(
        "catalog/versions/<int:pk>/edit/", catalog_items.version_edit, name="catalog_version_edit"
    ),
    path(
        "catalog/versions/<int:pk>/submit/",
        catalog_items.version_submit,
        name="catalog_version_submit",
    ),
    path(
        "catalog/versions/<int:pk>/discard/",
        catalog_items.version_discard,
        name="catalog_version_discard",
    ),
    path(
        "catalog/versions/<int:pk>/review/",
        catalog_items.version_review,
        name="catalog_version_review",
    ),
    path(
        "catalog/versions/<int:pk>/publish/",
        catalog_items.version_publish,
        name="catalog_version_publish",
    ),
    path(
        "catalog/versions/<int:pk>/materials/<int:position>/files/",
        catalog_items.material_files_update,
        name="catalog_material_files",
    ),
    path(
        "catalog/versions/<int:pk>/materials/<int:position>/<str:kind>/",
        catalog_items.material_file_download,
        name="catalog_material_file",
    ),
    path(
        "catalog/items/<str:implementation_code>/", catalog_items.item_detail, name="catalog_item"
    ),
    path(
        "catalog/items/<str:implementation_code>/diff/",
        catalog_items.version_compare,
        name="catalog_diff",
    ),
    path(
        "catalog/items/<str:implementation_code>/new-draft/",
        catalog_items.item_new_draft,
        name="catalog_new_draft",
    ),
]

# Sections owned by other apps, each in its own URL module and namespace (workbench:<app>).
urlpatterns += [
    path("open/requests/", include("sanyi.disclosure_requests.urls_staff")),
    path("open/reports/", include("sanyi.annual_reports.urls_staff")),
    path("open/", include("sanyi.openness.urls_staff")),
    path("cases/", include("sanyi.cases.urls_staff")),
    path("licences/", include("sanyi.licences.urls_staff")),
    path("ratings/", include("sanyi.ratings.urls_staff")),
    path("notifications/", include("sanyi.notify.urls_staff")),
]
