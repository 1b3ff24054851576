from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("sanyi.portal.urls")),
    path("workbench/", include("sanyi.workbench.urls")),
    path("api/v1/", include("sanyi.api.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

handler400 = "sanyi.portal.views.errors.bad_request"
handler403 = "sanyi.portal.views.errors.permission_denied"
handler404 = "sanyi.portal.views.errors.page_not_found"
handler500 = "sanyi.portal.views.errors.server_error"
