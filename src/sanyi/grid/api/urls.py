"""API endpoints of grid work (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.grid.api import views

urlpatterns = [
    path("grid/tasks/", views.TaskListView.as_view(), name="grid-tasks"),
    path("grid/tasks/<int:pk>/visit/", views.VisitRecordView.as_view(), name="grid-visit"),
    path("grid/supervision/", views.SupervisionView.as_view(), name="grid-supervision"),
]
