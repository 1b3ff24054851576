"""API endpoints of demand analysis (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.analytics.api import views_demand as views

urlpatterns = [
    path(
        "analytics/demand/funnel/", views.DemandFunnelView.as_view(), name="analytics-demand-funnel"
    ),
    path(
        "analytics/demand/queries/",
        views.DemandQueriesView.as_view(),
        name="analytics-demand-queries",
    ),
    path(
        "analytics/demand/recommendations/",
        views.DemandRecommendationsView.as_view(),
        name="analytics-demand-recommendations",
    ),
]
