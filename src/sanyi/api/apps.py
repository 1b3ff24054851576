from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanyi.api"
    label = "api"
    verbose_name = "开放接口"

    def ready(self):
        # Registers the OpenAPI extension for our session authentication class.
        from sanyi.api import schema  # noqa: F401
