"""Staff pages of the catalogue under /workbench/catalog/.

Included by ``sanyi.workbench.urls`` without a namespace of its own, so the names stay
``workbench:catalog_*``.
"""

from django.urls import path

from sanyi.catalog.web.staff import drafts, imports, items, life_events, reports, rules

urlpatterns = [
    path("", items.item_list, name="catalog_items"),
    path("new/", drafts.item_create, name="catalog_item_create"),
    path("lint/", drafts.lint_preview, name="catalog_lint"),
    path("reviews/", items.review_list, name="catalog_reviews"),
    path("life-events/", life_events.life_event_list, name="catalog_life_events"),
    path("life-events/new/", life_events.life_event_edit, name="catalog_life_event_create"),
    path("life-events/<int:pk>/", life_events.life_event_edit, name="catalog_life_event"),
    path("quality/", reports.quality, name="catalog_quality"),
    path("reduction/", reports.reduction, name="catalog_reduction"),
    path("zero-results/", reports.zero_results, name="catalog_zero_results"),
    path("import/", imports.import_page, name="catalog_import"),
    path(
        "import/template.xlsx",
        imports.import_template,
        name="catalog_import_template",
    ),
    path("import/<str:job_id>/", imports.import_job, name="catalog_import_job"),
    path(
        "import/<str:job_id>/run/",
        imports.import_job_run,
        name="catalog_import_run",
    ),
    path("versions/<int:pk>/", items.version_detail, name="catalog_version"),
    path(
        "versions/<int:pk>/handbook.pdf",
        items.version_handbook_pdf,
        name="catalog_version_handbook",
    ),
    path("versions/<int:pk>/edit/", drafts.version_edit, name="catalog_version_edit"),
    path("versions/<int:pk>/rules/", rules.rule_list, name="catalog_rules"),
    path(
        "versions/<int:pk>/rules/<int:position>/",
        rules.rule_edit,
        name="catalog_rule_edit",
    ),
    path(
        "versions/<int:pk>/rules/<int:position>/delete/",
        rules.rule_delete,
        name="catalog_rule_delete",
    ),
    path(
        "versions/<int:pk>/submit/",
        drafts.version_submit,
        name="catalog_version_submit",
    ),
    path(
        "versions/<int:pk>/discard/",
        drafts.version_discard,
        name="catalog_version_discard",
    ),
    path(
        "versions/<int:pk>/review/",
        items.version_review,
        name="catalog_version_review",
    ),
    path(
        "versions/<int:pk>/publish/",
        items.version_publish,
        name="catalog_version_publish",
    ),
    path(
        "versions/<int:pk>/materials/<int:position>/files/",
        drafts.material_files_update,
        name="catalog_material_files",
    ),
    path(
        "versions/<int:pk>/materials/<int:position>/<str:kind>/",
        drafts.material_file_download,
        name="catalog_material_file",
    ),
    path("items/<str:implementation_code>/", items.item_detail, name="catalog_item"),
    path(
        "items/<str:implementation_code>/diff/",
        items.version_compare,
        name="catalog_diff",
    ),
    path(
        "items/<str:implementation_code>/new-draft/",
        drafts.item_new_draft,
        name="catalog_new_draft",
    ),
]
