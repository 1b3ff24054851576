"""Workbench routes. Sections from other apps append their paths to this list."""

from django.urls import include, path

from sanyi.workbench.views import account, history, home
from sanyi.workbench.views import orgs as orgs_views
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
    path("orgs/", orgs_views.org_tree, name="orgs_tree"),
    path("orgs/units/<int:pk>/", orgs_views.org_unit_detail, name="orgs_unit"),
    path("orgs/units/<int:parent_pk>/new/", orgs_views.org_unit_create, name="orgs_unit_create"),
    path("orgs/units/<int:pk>/edit/", orgs_views.org_unit_edit, name="orgs_unit_edit"),
    path("orgs/units/<int:pk>/move/", orgs_views.org_unit_move, name="orgs_unit_move"),
    path("orgs/units/<int:pk>/abolish/", orgs_views.org_unit_abolish, name="orgs_unit_abolish"),
    path(
        "orgs/units/<int:pk>/reactivate/",
        orgs_views.org_unit_reactivate,
        name="orgs_unit_reactivate",
    ),
    path(
        "orgs/units/<int:unit_pk>/centers/new/",
        orgs_views.service_center_create,
        name="orgs_center_create",
    ),
    path("orgs/centers/<int:pk>/edit/", orgs_views.service_center_edit, name="orgs_center_edit"),
    path(
        "orgs/centers/<int:center_pk>/windows/new/",
        orgs_views.window_create,
        name="orgs_window_create",
    ),
    path("orgs/windows/<int:pk>/edit/", orgs_views.window_edit, name="orgs_window_edit"),
    path("orgs/staff/", orgs_views.staff_list, name="orgs_staff"),
    path("orgs/staff/new/", orgs_views.staff_create, name="orgs_staff_create"),
    path("orgs/staff/<int:pk>/", orgs_views.staff_detail, name="orgs_staff_detail"),
    path(
        "orgs/staff/<int:pk>/deactivate/",
        orgs_views.staff_deactivate,
        name="orgs_staff_deactivate",
    ),
    path("orgs/roles/<int:pk>/revoke/", orgs_views.role_revoke, name="orgs_role_revoke"),
    path("orgs/export/", orgs_views.org_export, name="orgs_export"),
    path("orgs/import/", orgs_views.org_import, name="orgs_import"),
    path(
        "orgs/import/<str:token>/confirm/",
        orgs_views.org_import_confirm,
        name="orgs_import_confirm",
    ),
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
