"""Routes under /api/v1/ (URL namespace "api").

Each domain keeps its endpoints in its own URL module, listed in ``API_URL_MODULES``. To
add endpoints, write ``sanyi/<app>/api/urls.py`` with a plain ``urlpatterns`` list (a DRF
router's ``router.urls`` works) and no ``app_name``, and add its dotted path below; its
URL names become ``api:<name>``. Then run scripts/update_openapi.sh and commit the schema.
"""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from sanyi.api.docs import ApiDocsView
from sanyi.api.errors import api_not_found
from sanyi.api.tokens import ApiTokenView

app_name = "api"

API_URL_MODULES = [
    "sanyi.orgs.api.urls",
    "sanyi.calendar.api.urls",
    "sanyi.catalog.api.urls",
    "sanyi.openness.api.urls",
    "sanyi.applicants.api.urls",
    "sanyi.notify.api.urls",
    "sanyi.disclosure_requests.api.urls",
    "sanyi.annual_reports.api.urls",
    "sanyi.cases.api.urls",
    "sanyi.licences.api.urls",
    "sanyi.ratings.api.urls",
    "sanyi.appointments.api.urls",
    "sanyi.grid.api.urls",
    "sanyi.proactive.api.urls",
    "sanyi.analytics.api.urls_demand",
    "sanyi.analytics.api.urls",
    "sanyi.analytics.api.urls_public",
]

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", ApiDocsView.as_view(), name="docs"),
    path("auth/token/", ApiTokenView.as_view(), name="auth-token"),
    *(path("", include(module)) for module in API_URL_MODULES),
    # Last: any other address under /api/v1/ is a problem+json 404, not the HTML page.
    re_path(r"^", api_not_found),
]
