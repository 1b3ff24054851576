from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpennessConfig(AppConfig):
    name = "sanyi.openness"
    label = "openness"
    verbose_name = "政务公开"

    def ready(self):
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import PortalLink, register_portal_link
        from sanyi.openness import indexing

        indexing.register_search_kind()
        from sanyi.core.registry import register_history
        from sanyi.openness.selectors import HISTORY_CHECKS

        for object_type, check in HISTORY_CHECKS.items():
            register_history(object_type, check)
        register_portal_link(PortalLink(_("政务公开"), "openness:home", order=30))
        from sanyi.core.pagecache import register_schedule
        from sanyi.openness.selectors import next_public_release

        # A scheduled record turns public by the clock: cached public pages end then.
        register_schedule(next_public_release)
        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role

        register_tile(
            NavEntry(
                _("政务公开"),
                "workbench:openness:home",
                roles={Role.DISCLOSURE_OFFICER, Role.SUPERVISOR},
                description=_("公开目录、负面清单、政府信息的起草审查发布、公开时效"),
                order=30,
            )
        )
        from sanyi.core.registry import LevelCounter, register_level_counter
        from sanyi.openness.selectors import board_level_counts
        from sanyi.orgs.models import OrgKind

        register_level_counter(
            LevelCounter(
                "openness.board",
                frozenset({OrgKind.SUBDISTRICT, OrgKind.COMMUNITY, OrgKind.GRID}),
                board_level_counts,
                order=30,
            )
        )
        register_demo(
            order=40,
            name="openness",
            load="sanyi.openness.demo.load:load",
            is_loaded="sanyi.openness.demo.load:is_loaded",
        )
