from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "sanyi.search"
    label = "search"
    verbose_name = "中文检索"
