from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {"SITE_NAME": settings.SANYI_SITE_NAME, "DEMO_MODE": settings.SANYI_DEMO}
