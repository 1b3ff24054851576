from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    name = "sanyi.workbench"
    label = "workbench"
    verbose_name = "工作台"

    def ready(self):
        from sanyi.workbench.navigation import register_own_tiles

        register_own_tiles()
