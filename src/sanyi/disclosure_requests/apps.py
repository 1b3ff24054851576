from django.apps import AppConfig


class DisclosureRequestsConfig(AppConfig):
    name = "sanyi.disclosure_requests"
    label = "disclosure_requests"
    verbose_name = "政府信息公开申请"

    def ready(self):
        from sanyi.calendar.signals import calendar_changed
        from sanyi.core.registry import register_due_preview
        from sanyi.disclosure_requests.tasks import due_preview, on_calendar_changed

        calendar_changed.connect(on_calendar_changed, dispatch_uid="disclosure_requests.recompute")
        register_due_preview("disclosure_requests", due_preview)
        self._register_pages()

    def _register_pages(self):
        """Portal link, the applicant's section, the workbench tile and the demo part."""
        from django.utils.translation import gettext_lazy as _

        from sanyi.applicants.portal import register_section
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import NavEntry, PortalLink, register_portal_link, register_tile
        from sanyi.orgs.models import Role

        register_portal_link(PortalLink(_("申请公开"), "disclosure_requests:index", order=35))
        register_section(_("我的政府信息公开申请"), "disclosure_requests:mine", order=20)
        register_tile(
            NavEntry(
                _("依申请公开"),
                "workbench:disclosure_requests:list",
                roles={Role.DISCLOSURE_OFFICER, Role.SUPERVISOR},
                description=_("政府信息公开申请：待办、期限预警、补正、延期、答复、复议诉讼"),
                order=210,
            )
        )
        # After orgs (10), applicants (15) and openness (40); the annual report reads these.
        register_demo(
            order=50,
            name="disclosure_requests",
            load="sanyi.disclosure_requests.demo.load:load",
            is_loaded="sanyi.disclosure_requests.demo.load:is_loaded",
        )
