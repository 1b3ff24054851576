"""API endpoints of e-licences (listed in sanyi.api.urls.API_URL_MODULES)."""

from django.urls import path

from sanyi.licences.api import views

urlpatterns = [
    path("licences/verify/", views.LicenceVerifyView.as_view(), name="licence-verify"),
    path("licences/", views.LicenceListView.as_view(), name="licence-list"),
]
