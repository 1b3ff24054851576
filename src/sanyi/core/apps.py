from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanyi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from sanyi.core.numbers import install_overflow_lookups

        install_overflow_lookups()
