"""The interactive API documentation (Swagger UI), served from our own static files.

The site's Content Security Policy allows scripts and styles from our own origin only:
Swagger UI comes from drf-spectacular-sidecar, its start-up script is a separate request
(``?script``) rather than inline, and the page's few style rules are in a static file.
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class ApiDocsView(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
    title = "三一平台开放接口文档"
