from django.contrib.staticfiles.apps import StaticFilesConfig


class SanyiStaticFilesConfig(StaticFilesConfig):
    """collectstatic without files no page uses: the Redoc bundle (the API docs use
    Swagger UI) and DRF's browsable-API assets (the API answers JSON only). Compressing
    them made collectstatic take minutes."""

    ignore_patterns = [
        *StaticFilesConfig.ignore_patterns,
        "drf_spectacular_sidecar/redoc/*",
        "rest_framework/*",
    ]
