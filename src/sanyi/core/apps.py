from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanyi.core"
    label = "core"
    verbose_name = "基础"
