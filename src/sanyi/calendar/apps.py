from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "sanyi.calendar"
    label = "calendar"
    verbose_name = "工作日历"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role

        register_tile(
            NavEntry(
                _("工作日历"),
                "workbench:calendar:years",
                roles=frozenset({Role.SYSTEM_ADMIN}),
                description=_("载入每年的国务院节假日安排，先看受影响的办件期限再确认"),
                order=115,
            )
        )
