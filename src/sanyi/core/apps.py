from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanyi.core"
    label = "core"
    verbose_name = "基础"

    def ready(self) -> None:
        from sanyi.core.numbers import install_overflow_lookups

        install_overflow_lookups()

        from django.test.signals import setting_changed

        from sanyi.core.pagecache import settings_changed

        # Pages show settings (the site name, the demo banner): a test that changes one
        # must not be served a page cached before.
        setting_changed.connect(settings_changed, dispatch_uid="sanyi.core.pagecache")
