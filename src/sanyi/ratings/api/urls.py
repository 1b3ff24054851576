"""API endpoints of ratings (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.ratings.api import views

urlpatterns = [
    path("ratings/", views.RatingListView.as_view(), name="rating-list"),
    path("ratings/stats/", views.RatingStatsView.as_view(), name="rating-stats"),
    path(
        "ratings/rectifications/",
        views.RectificationListView.as_view(),
        name="rating-rectification-list",
    ),
    path(
        "ratings/rectifications/<int:pk>/return-visit/",
        views.ReturnVisitView.as_view(),
        name="rating-return-visit",
    ),
    path(
        "ratings/rectifications/<int:pk>/complete/",
        views.CompleteView.as_view(),
        name="rating-rectification-complete",
    ),
    path(
        "ratings/rectifications/<int:pk>/appeal/",
        views.AppealFileView.as_view(),
        name="rating-appeal",
    ),
    path(
        "ratings/rectifications/<int:pk>/appeal/decide/",
        views.AppealDecideView.as_view(),
        name="rating-appeal-decide",
    ),
]
