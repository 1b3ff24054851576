"""Staff pages of the cases app, under /workbench/ (URL namespace workbench:cases)."""

app_name = "cases"
urlpatterns = []

# The window (一窗受理) pages: sanyi.cases.web.counter.
from django.urls import path  # noqa: E402

from sanyi.cases.web import (  # noqa: E402
    counter,
    counter_bundles,
    counter_consent,
    counter_walk_in,
)

urlpatterns += [
    path("counter/", counter.counter_home, name="counter"),
    path("counter/precheck/", counter.precheck_queue, name="counter_precheck_queue"),
    path("counter/precheck/<str:number>/", counter.precheck, name="counter_precheck"),
    path("counter/accept/", counter.walk_in, name="counter_walk_in"),
    path("counter/accept/<str:number>/", counter.accept, name="counter_accept"),
    path("counter/items/", counter.item_search, name="counter_item_search"),
    path("counter/cases/<str:number>/", counter.receipt, name="counter_receipt"),
    path("counter/cases/<str:number>/receipt.pdf", counter.receipt_pdf, name="counter_receipt_pdf"),
    path(
        "counter/cases/<str:number>/materials/<int:pk>/",
        counter.material_file,
        name="counter_material_file",
    ),
    path(
        "counter/applicant/",
        counter_walk_in.applicant_lookup,
        name="counter_applicant_lookup",
    ),
    path(
        "counter/accept/<str:number>/cancel/",
        counter_walk_in.walk_in_cancel,
        name="counter_cancel",
    ),
    path("counter/bundles/<str:number>/", counter_bundles.counter_bundle, name="counter_bundle"),
    path(
        "counter/cases/<str:number>/consent/",
        counter_consent.counter_consent,
        name="counter_consent",
    ),
    path("counter/pickup/", counter.pickup_list, name="counter_pickup"),
    path("counter/pickup/<str:number>/", counter.pickup_hand_over, name="counter_hand_over"),
]

# The back office (办件办理): sanyi.cases.web.staff and sanyi.cases.web.staff_case.
from sanyi.cases.web import staff as work  # noqa: E402
from sanyi.cases.web import staff_case as work_case  # noqa: E402

urlpatterns += [
    path("", work.home, name="home"),
    path("work/mine/", work.worklist_mine, name="work_mine"),
    path("work/unit/", work.worklist_unit, name="work_unit"),
    path("work/area/", work.worklist_subtree, name="work_subtree"),
    path("work/overdue/", work.overdue, name="work_overdue"),
    path("work/visit-rates/", work.visit_rates, name="work_visit_rates"),
    path("work/cases/<int:pk>/", work_case.case_detail, name="work_case"),
    path(
        "work/cases/<int:pk>/applicant-id/",
        work_case.applicant_id_show,
        name="work_case_show_id",
    ),
    path(
        "work/cases/<int:pk>/materials/<int:material_pk>/",
        work_case.material_download,
        name="work_case_material",
    ),
    path(
        "work/cases/<int:pk>/documents/<int:document_pk>/",
        work_case.document_download,
        name="work_case_document",
    ),
    path("work/cases/<int:pk>/<str:action>/", work_case.case_action, name="work_case_action"),
]
