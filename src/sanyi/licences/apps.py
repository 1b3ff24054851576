from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "sanyi.licences"
    label = "licences"
    verbose_name = "电子证照"

    def ready(self):
        from sanyi.core.registry import NavEntry, register_history, register_tile
        from sanyi.orgs.models import Role

        from .selectors import licences_visible_to

        register_tile(
            NavEntry(
                _("电子证照"),
                "workbench:licences:list",
                roles={Role.WINDOW_CLERK, Role.APPROVER, Role.SUPERVISOR},
                description=_("查看本辖区核发的电子证照，注销证照"),
                order=340,
            )
        )
        register_history(
            "licences.elicence",
            lambda user, object_id: licences_visible_to(user).filter(pk=object_id).exists(),
        )
