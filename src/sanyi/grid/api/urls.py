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
    path("grid/assist/", views.AssistStartView.as_view(), name="grid-assist"),
    path(
        "grid/assist/residents/",
        views.AssistResidentListView.as_view(),
        name="grid-assist-residents",
    ),
    path("grid/assist/items/", views.AssistItemListView.as_view(), name="grid-assist-items"),
    path("grid/assist/<int:pk>/", views.AssistDetailView.as_view(), name="grid-assist-detail"),
    path("grid/assist/<int:pk>/code/", views.AssistCodeView.as_view(), name="grid-assist-code"),
    path(
        "grid/assist/<int:pk>/consent/",
        views.AssistConsentView.as_view(),
        name="grid-assist-consent",
    ),
    path(
        "grid/assist/<int:pk>/submit/", views.AssistSubmitView.as_view(), name="grid-assist-submit"
    ),
    path("grid/supervision/", views.SupervisionView.as_view(), name="grid-supervision"),
]
