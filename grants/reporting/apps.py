from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "grants.reporting"
    verbose_name = "Outcome reporting"
