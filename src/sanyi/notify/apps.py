from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    name = "sanyi.notify"
    label = "notify"
    verbose_name = "通知"

    def ready(self) -> None:
        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.notify import checks  # noqa: F401 - registers the settings checks

        # Every staff member has an inbox; the delivery list and webhooks are linked from it.
        register_tile(
            NavEntry(
                _("我的消息"),
                "workbench:notify:inbox",
                description=_("待办提醒和系统通知；管理员可查看短信、邮件的发送情况"),
                order=800,
            )
        )
