"""The product's URLs plus a bare view returning "ok" through the full middleware stack,
so the benchmark can set every figure beside the cheapest page the stack can serve."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from sanyi.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/ok/", ok), *urlpatterns]
