from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sanyi.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self):
        from sanyi.portal import signin_audit

        signin_audit.connect()
