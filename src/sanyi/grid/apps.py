from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GridConfig(AppConfig):
    name = "sanyi.grid"
    label = "grid"
    verbose_name = "网格"

    def ready(self):
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import (
            LevelCounter,
            NavEntry,
            register_applicant_grid,
            register_level_counter,
            register_tile,
        )
        from sanyi.orgs.models import OrgKind, Role

        from .selectors import event_level_counts, grid_level_counts, grid_of_applicant

        register_applicant_grid(grid_of_applicant)
        register_tile(
            NavEntry(
                _("今日任务"),
                "workbench:grid:today",
                roles={Role.GRID_OFFICER},
                description=_("所在网格的入户调查、核实和送达"),
                order=60,
            )
        )
        register_tile(
            NavEntry(
                _("网格事件"),
                "workbench:grid:events",
                roles={Role.GRID_OFFICER, Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR},
                description=_("网格员上报的居民需求和问题：上报、受理、转派、办结"),
                order=61,
            )
        )
        register_tile(
            NavEntry(
                _("帮居民代办"),
                "workbench:grid:assist_start",
                roles={Role.GRID_OFFICER},
                description=_("为本网格行动不便的居民网上申请，居民不用跑腿"),
                order=62,
            )
        )
        register_tile(
            NavEntry(
                _("网格地址"),
                "workbench:grid:rules",
                roles={Role.SYSTEM_ADMIN},
                description=_("各网格的道路和门牌范围，导入导出Excel"),
                order=328,
            )
        )
        register_level_counter(
            LevelCounter("grid.tasks", frozenset({OrgKind.GRID}), grid_level_counts, order=20)
        )
        register_level_counter(
            LevelCounter(
                "grid.events",
                frozenset({OrgKind.SUBDISTRICT, OrgKind.STATION, OrgKind.COMMUNITY, OrgKind.GRID}),
                event_level_counts,
                order=25,
            )
        )
        register_demo(
            order=18,
            name="grid",
            load="sanyi.grid.demo:load",
            is_loaded="sanyi.grid.demo:is_loaded",
        )
