from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "sanyi.cases"
    label = "cases"
    verbose_name = "办件"
