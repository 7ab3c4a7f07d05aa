from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "grants.applications"
    verbose_name = "Applications"

    def ready(self):
        from . import transitions  # noqa: F401 - declares this app's status changes to grants.workflow
