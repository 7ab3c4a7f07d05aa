from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "grants.programs"
    verbose_name = "Programs and rounds"

    def ready(self):
        from . import published, transitions  # noqa: F401 - the signals that forget a round's kept parts; this app's
        # status changes, declared to grants.workflow
