"""The installable phone workbench: the web app manifest, the service worker, the offline
page (none of them personal, so none needs a session) and the phone home with one card per
level the signed-in person works at (docs/adr/0024-phone-workbench-service-worker.md)."""

from __future__ import annotations

import functools
import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from sanyi import __version__
from sanyi.workbench.selectors import phone_levels

# The shell the service worker keeps for offline use: styles, scripts and icons, no data.
SHELL_ASSETS = (
    "sanyi/sanyi.css",
    "sanyi/sanyi.js",
    "vendor/htmx/htmx.min.js",
    "sanyi/pwa.js",
    "grid/visit.js",
    "sanyi/icons/icon-192.png",
    "sanyi/icons/icon-512.png",
)
THEME = "#0a4a8f"


@functools.lru_cache(maxsize=1)
def shell_version() -> str:
    """The app version plus a hash of the shell assets' content: a new release or any
    changed asset makes a new cache name, and the old cache is dropped on activate."""
    digest = hashlib.sha256(__version__.encode())
    for path in SHELL_ASSETS:
        found = finders.find(path)
        if found:
            with open(found, "rb") as fh:
                digest.update(fh.read())
    return f"{__version__}-{digest.hexdigest()[:12]}"


@require_GET
@cache_control(max_age=3600)
def manifest(request):
    body = {
        "name": "三一·社区云 工作台",
        "short_name": "三一工作台",
        "description": "街道、站所、社区、网格的手机工作台：待办、上门任务、离线走访草稿",
        "lang": "zh-CN",
        "start_url": reverse("workbench:phone_home"),
        "scope": "/workbench/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static(f"sanyi/icons/icon-{n}.png"), "sizes": f"{n}x{n}", "type": "image/png"}
            for n in (192, 512)
        ],
    }
    return JsonResponse(
        body, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


@require_GET
@cache_control(no_cache=True, max_age=0)
def service_worker(request):
    """The service worker script, rendered so its cache name and asset URLs follow the
    release and the hashed static names."""
    config = {
        "version": shell_version(),
        "offline": reverse("pwa:offline"),
        "shell": [static(p) for p in SHELL_ASSETS] + [reverse("pwa:offline")],
        "static": settings.STATIC_URL,
        "keep": [reverse("workbench:phone_home"), reverse("workbench:grid:today")],
        "keepPrefix": reverse("workbench:grid:today") + "tasks/",
    }
    response = render(
        request,
        "workbench/sw.js",
        {"config": json.dumps(config, ensure_ascii=False)},
        content_type="text/javascript; charset=utf-8",
    )
    response["Service-Worker-Allowed"] = "/workbench/"
    return response


@require_GET
def offline(request):
    return render(request, "workbench/offline.html")


def phone_home(request):
    """The phone home: one card per unit the viewer works at, with that unit's counts."""
    return render(
        request, "workbench/phone_home.html", {"cards": phone_levels(viewer=request.user)}
    )
