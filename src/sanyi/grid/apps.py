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
            register_applicant_grid,
            register_level_counter,
        )
        from sanyi.orgs.models import OrgKind

        from .selectors import event_level_counts, grid_level_counts, grid_of_applicant

        register_applicant_grid(grid_of_applicant)
        _register_tiles()
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
        # After the cases (30): households, doorstep steps of their cases and visits.
        register_demo(
            order=35,
            name="grid-visits",
            load="sanyi.grid.demo_visits:load",
            is_loaded="sanyi.grid.demo_visits:is_loaded",
        )


def _register_tiles() -> None:
    """The grid pages' tiles on the workbench home."""
    from sanyi.core.registry import NavEntry, register_tile
    from sanyi.orgs.models import Role

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
            _("走访台账"),
            "workbench:grid:households",
            roles={Role.GRID_OFFICER},
            description=_("所在网格住户的走访记录和下次走访日期"),
            order=62,
        )
    )
    register_tile(
        NavEntry(
            _("帮居民代办"),
            "workbench:grid:assist_start",
            roles={Role.GRID_OFFICER},
            description=_("为本网格行动不便的居民网上申请，居民不用跑腿"),
            order=63,
        )
    )
    register_tile(
        NavEntry(
            _("网格督查"),
            "workbench:grid:supervision",
            roles={Role.SUPERVISOR},
            description=_("各网格员的走访和上门环节按期情况，各网格待走访住户"),
            order=64,
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
