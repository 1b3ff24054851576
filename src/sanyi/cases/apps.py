from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanyi.cases"
    label = "cases"
    verbose_name = "办件"

    def ready(self):
        from sanyi.cases import receivers, reports

        receivers.connect()
        reports.register()
        # The signed-in applicant's facts for the guide page's "看看我能不能办".
        from sanyi.cases import eligibility

        eligibility.register()
        # The applicant's "我的办件" section, the progress lookup link and the window tile.
        from sanyi.cases.web.public import register_links

        register_links()
        # 我的证照和材料 under /my/wallet/.
        from sanyi.cases.web.wallet import register_section_link

        register_section_link()
        # 我的一件事 under /my/bundles/.
        from sanyi.cases.web import bundles

        bundles.register_section_link()
        # The back office (办件办理): its workbench tile and its part of the demo.
        from sanyi.cases.web.staff import register_staff

        register_staff()
        # Open cases, waiting and overdue steps on the phone workbench's level cards.
        from sanyi.cases.level_counts import case_level_counts
        from sanyi.core.registry import LevelCounter, register_level_counter
        from sanyi.orgs.models import OrgKind

        register_level_counter(
            LevelCounter(
                "cases",
                frozenset({OrgKind.SUBDISTRICT, OrgKind.STATION, OrgKind.COMMUNITY, OrgKind.GRID}),
                case_level_counts,
                order=10,
            )
        )
