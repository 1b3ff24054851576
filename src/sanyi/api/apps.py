from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "sanyi.api"
    label = "api"
    verbose_name = "开放接口"
