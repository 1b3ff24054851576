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

        from django.utils.translation import gettext_lazy as _

        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role
        from sanyi.proactive.web.resident import register_section_link

        register_section_link()
        register_tile(
            NavEntry(
                _("主动服务规则"),
                "workbench:proactive:rules",
                roles={Role.CATALOG_ADMIN, Role.SUPERVISOR},
                description=_("编写、测试、发布主动服务和免申即享规则；推送、查看、申请、办结统计"),
                order=105,
            )
        )
