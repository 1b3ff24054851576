from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sanyi.orgs"
    label = "orgs"
    verbose_name = "组织机构与人员"
