from django.urls import path

from sanyi.openness.api import views

urlpatterns = [
    path(
        "openness/publications/",
        views.OpennessPublicationListView.as_view(),
        name="openness-publication-list",
    ),
    path(
        "openness/publications/<int:pk>/",
        views.OpennessPublicationDetailView.as_view(),
        name="openness-publication-detail",
    ),
]
