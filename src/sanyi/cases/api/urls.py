"""API endpoints of the cases app (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.cases.api import bundles, views
from sanyi.cases.api.wallet import CaseWalletView, MyWalletConsentView, MyWalletView

urlpatterns = [
    path("cases/", views.CaseListView.as_view(), name="case-list"),
    path("cases/bundles/", bundles.BundleApplyView.as_view(), name="case-bundle-apply"),
    path("cases/bundles/<str:number>/", bundles.BundleDetailView.as_view(), name="case-bundle"),
    path("wallet/", MyWalletView.as_view(), name="wallet"),
    path("wallet/consent/", MyWalletConsentView.as_view(), name="wallet-consent"),
    path("cases/overdue/", views.CaseOverdueView.as_view(), name="case-overdue"),
    path("cases/tasks/", views.CaseTaskListView.as_view(), name="case-task-list"),
    path("cases/tasks/<int:pk>/claim/", views.CaseTaskClaimView.as_view(), name="case-task-claim"),
    path("cases/tasks/<int:pk>/act/", views.CaseTaskActView.as_view(), name="case-task-act"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case-detail"),
    path(
        "cases/<int:pk>/materials/<int:material_id>/file/",
        views.CaseMaterialUploadView.as_view(),
        name="case-material-upload",
    ),
]
for _action, _view in (
    ("submit", views.CaseSubmitView),
    ("precheck", views.CasePrecheckView),
    ("acceptance", views.CaseAcceptView),
    ("clock-stops", views.CaseClockStopView),
    ("clock-restart", views.CaseClockRestartView),
    ("extensions", views.CaseExtensionView),
    ("conclusion", views.CaseConclusionView),
    ("delivery", views.CaseDeliveryView),
    ("visits", views.CaseVisitView),
    ("timeline", views.CaseTimelineView),
    ("receipt", views.CaseReceiptView),
    ("wallet", CaseWalletView),
):
    urlpatterns.append(path(f"cases/<int:pk>/{_action}/", _view.as_view(), name=f"case-{_action}"))
