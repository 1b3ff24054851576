from django.urls import path

from sanyi.orgs.api import views

urlpatterns = [
    path("org-units/", views.OrgUnitListView.as_view(), name="org-unit-list"),
    path("org-units/<int:pk>/", views.OrgUnitDetailView.as_view(), name="org-unit-detail"),
    path(
        "org-units/<int:pk>/service-centers/",
        views.OrgUnitServiceCenterListView.as_view(),
        name="org-unit-service-centers",
    ),
    path("areas/", views.AreaListView.as_view(), name="area-list"),
    path("service-centers/", views.ServiceCenterListView.as_view(), name="service-center-list"),
]
