from django.apps import AppConfig


class OpennessConfig(AppConfig):
    name = "sanyi.openness"
    label = "openness"
    verbose_name = "政务公开"

    def ready(self):
        from sanyi.demo.registry import register as register_demo
        from sanyi.openness import indexing
        from sanyi.portal.navigation import PortalLink, register

        indexing.register_search_kind()
        register(PortalLink("政务公开", "openness:home", order=30))
        register_demo(
            order=40,
            name="openness",
            load="sanyi.openness.demo.load:load",
            is_loaded="sanyi.openness.demo.load:is_loaded",
        )
