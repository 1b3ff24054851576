from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicantsConfig(AppConfig):
    name = "sanyi.applicants"
    label = "applicants"
    verbose_name = "申请人"

    def ready(self):
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import PortalLink, register_portal_link

        # The applicant's own area; it asks for an SMS sign-in when opened.
        register_portal_link(PortalLink(_("我的"), "applicants:home", order=90))
        register_demo(
            order=15,
            name="applicants",
            load="sanyi.applicants.demo.load:load",
            is_loaded="sanyi.applicants.demo.load:is_loaded",
        )
