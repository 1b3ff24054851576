from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "sanyi.analytics"
    label = "analytics"
    verbose_name = "数据分析"

    def ready(self):
        from sanyi.analytics.middleware import OLD_SESSION_KEY
        from sanyi.core.demo import register as register_demo
        from sanyi.core.pagecache import register_anonymous_session_key
        from sanyi.core.registry import NavEntry, PortalLink, register_portal_link, register_tile
        from sanyi.orgs.models import Role

        from .dashboard import DASHBOARD_ROLES

        # Sessions from before counting moved to its own cookie (ADR 0033) hold what they
        # counted until they lapse: that says nothing of who reads, still anonymous.
        register_anonymous_session_key(OLD_SESSION_KEY)

        register_tile(
            NavEntry(
                _("需求分析"),
                "workbench:demand:demand",
                roles={Role.CATALOG_ADMIN, Role.SUPERVISOR},
                description=_("居民搜什么、看了哪些指南、网上申请在哪一步放弃，窗口高峰时段"),
                order=70,
            )
        )
        register_tile(
            NavEntry(
                _("改进建议"),
                "workbench:demand:advice",
                roles={Role.CATALOG_ADMIN, Role.SUPERVISOR},
                description=_("根据搜索和办件数据，哪些词要加同义词、哪些指南要改"),
                order=71,
            )
        )

        # Order 1: the dashboard leads the home page of supervisors and unit heads.
        register_tile(
            NavEntry(
                _("数据驾驶舱"),
                "workbench:analytics:dashboard",
                roles=set(DASHBOARD_ROLES),
                description=_("按期办结率、跑动次数、好评率、公开和网格工作，可查看背后的办件"),
                order=1,
            )
        )

        register_portal_link(PortalLink(_("办件统计"), "statistics:home", order=65))
        # Last: a year of cases on top of every other part, then the rollups of that year
        # (which count the other parts' cases, ratings and grid work too).
        register_demo(
            order=190,
            name="analytics",
            load="sanyi.analytics.demo:load",
            is_loaded="sanyi.analytics.demo:is_loaded",
        )
