from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase


def site(request: HttpRequest) -> HttpResponseBase:
    return {"SITE_NAME": settings.SANYI_SITE_NAME, "DEMO_MODE": settings.SANYI_DEMO}
