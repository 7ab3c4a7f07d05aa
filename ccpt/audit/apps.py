from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "ccpt.audit"
    label = "audit"
    verbose_name = "Audit trail"
