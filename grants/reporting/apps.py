from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "grants.reporting"
    verbose_name = "Outcome reporting"

    def ready(self):
        from . import transitions  # noqa: F401 - this app's status changes, declared to grants.workflow
