from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "sanyi.notify"
    label = "notify"
    verbose_name = "通知"
