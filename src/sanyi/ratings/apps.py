from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RatingsConfig(AppConfig):
    name = "sanyi.ratings"
    label = "ratings"
    verbose_name = "好差评"

    def ready(self):
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import (
            NavEntry,
            PortalLink,
            register_history,
            register_portal_link,
            register_tile,
        )
        from sanyi.orgs.models import Role

        from .selectors import ratings_visible_to, rectifications_visible_to

        register_tile(
            NavEntry(
                _("好差评"),
                "workbench:ratings:home",
                roles={Role.APPROVER, Role.SUPERVISOR, Role.WINDOW_CLERK},
                description=_("差评回访整改、申诉复核、评价统计"),
                order=330,
            )
        )
        register_portal_link(PortalLink(_("好差评"), "ratings:stats", order=60))
        register_history(
            "ratings.rating",
            lambda user, object_id: ratings_visible_to(user).filter(pk=object_id).exists(),
        )
        register_history(
            "ratings.rectification",
            lambda user, object_id: rectifications_visible_to(user).filter(pk=object_id).exists(),
        )
        register_demo(
            order=90,
            name="ratings",
            load="sanyi.ratings.demo:load",
            is_loaded="sanyi.ratings.demo:is_loaded",
        )
