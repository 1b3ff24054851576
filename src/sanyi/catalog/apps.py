from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "sanyi.catalog"
    label = "catalog"
    verbose_name = "政务服务事项目录"

    def ready(self):
        from sanyi.catalog import indexing
        from sanyi.core.registry import PortalLink, register_portal_link

        # The public catalogue: searchable, and linked from the portal's main navigation.
        indexing.register_search_kinds()
        indexing.connect_receivers()
        # The colloquial queries the catalogue's search is measured with
        # (`sanyi search evaluate`, tests/test_search_quality.py).
        from pathlib import Path

        from sanyi.search.registry import register_evaluation_set

        register_evaluation_set(
            "catalog",
            path=str(Path(__file__).parent / "tests" / "data" / "colloquial_queries.tsv"),
            kinds=indexing.SEARCH_KINDS,
        )
        register_portal_link(PortalLink(_("办事指南"), "catalog:home", order=20))

        from sanyi.core.demo import register as register_demo

        register_demo(
            order=20,
            name="catalog",
            load="sanyi.catalog.demo.load:load",
            is_loaded="sanyi.catalog.demo.load:is_loaded",
            atomic=False,
        )

        from sanyi.core.registry import NavEntry, register_tile
        from sanyi.orgs.models import Role

        register_tile(
            NavEntry(
                _("事项管理"),
                "workbench:catalog_items",
                roles={Role.CATALOG_ADMIN},
                description=_("编写、审核、发布办事指南；质量检查、减材料减时限报告、导入"),
                order=100,
            )
        )
