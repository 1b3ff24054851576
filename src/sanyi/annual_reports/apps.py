from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualReportsConfig(AppConfig):
    name = "sanyi.annual_reports"
    label = "annual_reports"
    verbose_name = "政府信息公开年度报告"

    def ready(self):
        from sanyi.core.demo import register as register_demo
        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role

        register_tile(
            NavEntry(
                _("政府信息公开年度报告"),
                "workbench:annual_reports:list",
                roles={Role.DISCLOSURE_OFFICER, Role.SUPERVISOR},
                description=_("自动统计年度报告各表数字，检查勾稽关系，填写正文并发布"),
                order=230,
            )
        )
        from sanyi.annual_reports.selectors import history_check
        from sanyi.core.registry import register_history

        register_history("annual_reports.annualreport", history_check)
        # ``sanyi openness annual-report``: the report belongs to the openness command group.
        from sanyi.annual_reports import cli
        from sanyi.core.registry import Subcommand, register_subcommand

        register_subcommand(
            "openness", Subcommand("annual-report", add_parser=cli.add_subparser, run=cli.run)
        )
        # After the requests for information (their demo part) so the report counts them.
        register_demo(
            order=80,
            name="annual_reports",
            load="sanyi.annual_reports.demo.load:load",
            is_loaded="sanyi.annual_reports.demo.load:is_loaded",
        )
