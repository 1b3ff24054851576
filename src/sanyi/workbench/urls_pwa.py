"""The phone workbench's manifest, service worker and offline page. They sit under
/workbench/ (so the worker's scope covers the workbench) but outside the workbench
namespace: a browser fetches them without asking anyone to sign in, and they hold no data."""

from django.urls import path

from sanyi.workbench.views import pwa

app_name = "pwa"
urlpatterns = [
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
]
