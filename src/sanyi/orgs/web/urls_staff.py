"""Staff pages of the org app under /workbench/orgs/.

Included by ``sanyi.workbench.urls`` without a namespace of its own, so the names stay
``workbench:orgs_*``.
"""

from django.urls import path

from sanyi.orgs.web import people, staff

urlpatterns = [
    path("", staff.org_tree, name="orgs_tree"),
    path("units/<int:pk>/", staff.org_unit_detail, name="orgs_unit"),
    path("units/<int:parent_pk>/new/", staff.org_unit_create, name="orgs_unit_create"),
    path("units/<int:pk>/edit/", staff.org_unit_edit, name="orgs_unit_edit"),
    path("units/<int:pk>/move/", staff.org_unit_move, name="orgs_unit_move"),
    path("units/<int:pk>/abolish/", staff.org_unit_abolish, name="orgs_unit_abolish"),
    path(
        "units/<int:pk>/reactivate/",
        staff.org_unit_reactivate,
        name="orgs_unit_reactivate",
    ),
    path(
        "units/<int:unit_pk>/centers/new/",
        staff.service_center_create,
        name="orgs_center_create",
    ),
    path("centers/<int:pk>/edit/", staff.service_center_edit, name="orgs_center_edit"),
    path(
        "centers/<int:center_pk>/windows/new/",
        staff.window_create,
        name="orgs_window_create",
    ),
    path("windows/<int:pk>/edit/", staff.window_edit, name="orgs_window_edit"),
    path("staff/", people.staff_list, name="orgs_staff"),
    path("staff/new/", people.staff_create, name="orgs_staff_create"),
    path("staff/<int:pk>/", people.staff_detail, name="orgs_staff_detail"),
    path(
        "staff/<int:pk>/deactivate/",
        people.staff_deactivate,
        name="orgs_staff_deactivate",
    ),
    path("roles/<int:pk>/revoke/", people.role_revoke, name="orgs_role_revoke"),
    path("export/", staff.org_export, name="orgs_export"),
    path("import/", staff.org_import, name="orgs_import"),
    path(
        "import/<str:token>/confirm/",
        staff.org_import_confirm,
        name="orgs_import_confirm",
    ),
]
