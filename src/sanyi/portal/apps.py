from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "sanyi.portal"
    label = "portal"
    verbose_name = "门户"

    def ready(self):
        from sanyi.portal import signin_audit
        from sanyi.portal.navigation import register_own_links

        signin_audit.connect()
        register_own_links()
