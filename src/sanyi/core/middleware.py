"""Request context for the audit trail: who acts and from which address."""

from sanyi.core.request_context import bind_request


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with bind_request(request):
            return self.get_response(request)
