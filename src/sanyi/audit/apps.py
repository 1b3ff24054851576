from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "sanyi.audit"
    label = "audit"
    verbose_name = "审计留痕"

    def ready(self) -> None:
        # Transitions (sanyi.core.transitions) write their audit row through this app.
        from sanyi.audit.services import audit_record
        from sanyi.core.transitions import set_audit_writer

        set_audit_writer(audit_record)
