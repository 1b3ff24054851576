"""Workbench routes. Sections from other apps append their paths to this list."""

from django.urls import include, path

from sanyi.workbench.views import account, history, home, pwa, walkthrough

app_name = "workbench"
urlpatterns = [
    path("", home.home, name="home"),
    path(
        "history/<str:object_type>/<str:object_id>/",
        history.object_history_page,
        name="object_history",
    ),
    path("grid/home/", pwa.phone_home, name="phone_home"),
    path("account/", account.account_security, name="account_security"),
    path("account/password/", account.password_change, name="password_change"),
    path("walkthrough/dismiss/", walkthrough.walkthrough_dismiss, name="walkthrough_dismiss"),
]

# Sections owned by other apps, each in its own URL module. The org and catalogue pages
# keep their names in the workbench namespace (workbench:orgs_*, workbench:catalog_*); the
# others have a namespace of their own (workbench:<app>).
urlpatterns += [
    path("orgs/", include("sanyi.orgs.web.urls_staff")),
    path("catalog/", include("sanyi.catalog.web.urls_staff")),
    path("open/requests/", include("sanyi.disclosure_requests.web.urls_staff")),
    path("open/reports/", include("sanyi.annual_reports.web.urls_staff")),
    path("open/", include("sanyi.openness.web.urls_staff")),
    path("cases/", include("sanyi.cases.web.urls_staff")),
    path("licences/", include("sanyi.licences.web.urls_staff")),
    path("ratings/", include("sanyi.ratings.web.urls_staff")),
    path("appointments/", include("sanyi.appointments.web.urls_staff")),
    path("grid/", include("sanyi.grid.web.urls_staff")),
    path("proactive/", include("sanyi.proactive.web.urls_staff")),
    path("notifications/", include("sanyi.notify.web.urls_staff")),
    path("search/", include("sanyi.search.web.urls_staff")),
    path("calendar/", include("sanyi.calendar.web.urls_staff")),
    path("demand/", include("sanyi.analytics.web.urls_demand")),
    path("analytics/", include("sanyi.analytics.web.urls_staff")),
]
