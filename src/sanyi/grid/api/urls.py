"""API endpoints of grid work (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.grid.api import views

urlpatterns = [
    path("grid/tasks/", views.TaskListView.as_view(), name="grid-tasks"),
    path("grid/tasks/<int:pk>/visit/", views.VisitRecordView.as_view(), name="grid-visit"),
    path("grid/events/", views.EventListView.as_view(), name="grid-events"),
    path("grid/events/<int:pk>/", views.EventDetailView.as_view(), name="grid-event"),
    path(
        "grid/events/<int:pk>/actions/",
        views.EventActionView.as_view(),
        name="grid-event-action",
    ),
]
