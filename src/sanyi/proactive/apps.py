from django.apps import AppConfig


class ProactiveConfig(AppConfig):
    name = "sanyi.proactive"
    label = "proactive"
    verbose_name = "主动服务"

    def ready(self):
        from sanyi.core.demo import register as register_demo

        # After the cases (30), licences and grid events: the rules fire on demo residents.
        register_demo(
            order=97,
            name="proactive",
            load="sanyi.proactive.demo:load",
            is_loaded="sanyi.proactive.demo:is_loaded",
        )
