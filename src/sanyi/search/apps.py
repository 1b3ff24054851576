from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "sanyi.search"
    label = "search"
    verbose_name = "中文检索"

    def ready(self) -> None:
        from sanyi.core.registry import NavEntry, register_tile, register_warm_up
        from sanyi.orgs.models import Role
        from sanyi.search.lexicon import warm_up

        register_warm_up("search", warm_up)

        register_tile(
            NavEntry(
                _("搜索同义词"),
                "workbench:search:synonyms",
                roles=frozenset({Role.CATALOG_ADMIN, Role.SYSTEM_ADMIN}),
                description=_("群众用语与事项名称的对应；搜不到、搜不准的词，一键补充同义词"),
                order=110,
            )
        )
