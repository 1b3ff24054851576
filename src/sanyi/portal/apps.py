from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sanyi.portal"
    label = "portal"
    verbose_name = "门户"
