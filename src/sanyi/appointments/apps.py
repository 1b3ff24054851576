from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    name = "sanyi.appointments"
    label = "appointments"
    verbose_name = "预约"

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

        from .selectors import COUNTER_ROLES

        register_tile(
            NavEntry(
                _("预约签到"),
                "workbench:appointments:counter",
                roles=set(COUNTER_ROLES),
                description=_("今天的预约、签到、未到"),
                order=325,
            )
        )
        register_tile(
            NavEntry(
                _("预约时间设置"),
                "workbench:appointments:schedules",
                roles={Role.SYSTEM_ADMIN},
                description=_("按窗口组发布、关闭预约时段，查看每段的预约"),
                order=327,
            )
        )
        register_tile(
            NavEntry(
                _("预约统计"),
                "workbench:appointments:figures",
                roles={Role.WINDOW_CLERK, Role.SUPERVISOR},
                description=_("各中心预约、签到和未到人数"),
                order=326,
            )
        )
        register_portal_link(PortalLink(_("预约"), "appointments:home", order=45))
        register_history("appointments.booking", _booking_history)
        register_demo(
            order=95,
            name="appointments",
            load="sanyi.appointments.demo:load",
            is_loaded="sanyi.appointments.demo:is_loaded",
        )


def _booking_history(user, object_id: str) -> bool:
    from django.http import Http404

    from .models import Booking
    from .selectors import counter_booking

    if not Booking.objects.filter(pk=object_id).exists():
        raise Http404
    return counter_booking(viewer=user, pk=int(object_id)) is not None
