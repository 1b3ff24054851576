"""URLs for ``bench_public_pages.py`` only: the product's, plus a bare view at
``/bench/bare/`` ("ok" through the whole middleware stack) to compare the pages with."""

from django.http import HttpResponse
from django.urls import path

from sanyi.urls import handler400, handler403, handler404, handler500  # noqa: F401
from sanyi.urls import urlpatterns as product_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *product_urlpatterns]
