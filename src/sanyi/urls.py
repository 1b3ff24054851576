from django.contrib import admin
from django.urls import include, path

from sanyi.portal.admin_site import SanyiAdminSite
from sanyi.portal.views.language import set_language

# System admins only, with a verified second factor (django-otp); see portal/admin_site.py.
admin.site.__class__ = SanyiAdminSite

urlpatterns = [
    path("", include("sanyi.portal.urls")),
    path("services/", include("sanyi.catalog.web.urls_public")),
    path("open/requests/", include("sanyi.disclosure_requests.web.urls_public")),
    path("open/", include("sanyi.openness.web.urls_public")),
    path("my/wallet/", include("sanyi.cases.web.urls_wallet")),
    path("my/bundles/", include("sanyi.cases.web.urls_my_bundles")),
    path("my/offers/", include("sanyi.proactive.web.urls_my")),
    path("my/", include("sanyi.applicants.web.urls")),
    path("cases/", include("sanyi.cases.web.urls_public")),
    path("licences/", include("sanyi.licences.web.urls_public")),
    path("ratings/", include("sanyi.ratings.web.urls_public")),
    path("appointments/", include("sanyi.appointments.web.urls_public")),
    path("statistics/", include("sanyi.analytics.web.urls_public")),
    path("workbench/", include("sanyi.workbench.urls_pwa")),
    path("workbench/", include("sanyi.workbench.urls")),
    path("api/v1/", include("sanyi.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
]

handler400 = "sanyi.portal.views.errors.bad_request"
handler403 = "sanyi.portal.views.errors.permission_denied"
handler404 = "sanyi.portal.views.errors.page_not_found"
handler500 = "sanyi.portal.views.errors.server_error"
