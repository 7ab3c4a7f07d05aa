from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "grants.programs"
    verbose_name = "Programs and rounds"

    def ready(self):
        from . import transitions  # noqa: F401 - declares this app's status changes to grants.workflow
