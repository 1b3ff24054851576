"""Proactive offers under /api/v1/ (URL names api:proactive-*)."""

from django.urls import path

from sanyi.proactive.api import views

urlpatterns = [
    path("my/offers/", views.MyOffersView.as_view(), name="proactive-my-offers"),
    path("my/offers/opt/", views.MyOfferOptView.as_view(), name="proactive-my-opt"),
    path("my/offers/<int:pk>/open/", views.MyOfferOpenView.as_view(), name="proactive-my-open"),
    path("my/offers/<int:pk>/apply/", views.MyOfferApplyView.as_view(), name="proactive-my-apply"),
    path(
        "my/offers/<int:pk>/confirm/",
        views.MyOfferConfirmView.as_view(),
        name="proactive-my-confirm",
    ),
    path("proactive/rules/", views.ProactiveRuleListView.as_view(), name="proactive-rule-list"),
    path(
        "proactive/rules/<int:pk>/",
        views.ProactiveRuleDetailView.as_view(),
        name="proactive-rule-detail",
    ),
]
