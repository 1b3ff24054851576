"""Public pages of the cases app, mounted at /cases/ (URL namespace "cases").

``track/`` is open to anyone; everything else is the signed-in applicant's own business.
"""

from django.urls import path

from sanyi.cases.web import applicant, bundles, public

app_name = "cases"
urlpatterns = [
    path("track/", public.track, name="track"),
    path("apply/<str:implementation_code>/", applicant.apply_start, name="apply"),
    path("mine/", applicant.my_cases, name="mine"),
    path("bundles/apply/<int:pk>/", bundles.bundle_apply, name="bundle_apply"),
    path("bundles/<str:number>/", bundles.bundle_detail, name="bundle_detail"),
    path("bundles/<str:number>/receipt/", bundles.bundle_receipt, name="bundle_receipt"),
    # Links written by id (notifications): sent on to the page by number.
    path("mine/id/<int:pk>/", applicant.case_by_id, name="my_case"),
    path("mine/<str:number>/", applicant.case_detail, name="case"),
    path("mine/<str:number>/edit/", applicant.case_edit, name="edit"),
    path("mine/<str:number>/consent/", applicant.wallet_consent, name="consent"),
    path(
        "mine/<str:number>/materials/<int:pk>/upload/",
        applicant.material_upload,
        name="material_upload",
    ),
    path(
        "mine/<str:number>/materials/<int:pk>/reuse/",
        applicant.material_reuse,
        name="material_reuse",
    ),
    path(
        "mine/<str:number>/materials/<int:pk>/file/",
        applicant.material_file,
        name="material_file",
    ),
    path("mine/<str:number>/resubmit/", applicant.resubmit, name="resubmit"),
    path("mine/<str:number>/withdraw/", applicant.withdraw, name="withdraw"),
    path("mine/<str:number>/receipt.pdf", applicant.receipt_pdf, name="receipt_pdf"),
    path(
        "mine/<str:number>/documents/<int:pk>/",
        applicant.result_document,
        name="result_document",
    ),
]
