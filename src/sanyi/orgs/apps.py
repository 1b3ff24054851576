from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "sanyi.orgs"
    label = "orgs"
    verbose_name = "组织机构与人员"

    def ready(self) -> None:
        from sanyi.orgs import history

        history.register()
        from sanyi.core.demo import register
        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role

        register_tile(
            NavEntry(
                _("组织机构"),
                "workbench:orgs_tree",
                roles={Role.SYSTEM_ADMIN},
                description=_("维护区、街道、社区、部门、服务中心和窗口，管理人员和角色"),
                order=800,
            )
        )

        register(
            order=10,
            name="orgs",
            load="sanyi.orgs.demo:load",
            is_loaded="sanyi.orgs.demo:is_loaded",
        )
