from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sanyi.audit"
    label = "audit"
    verbose_name = "审计留痕"
