from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "grants.programs"
    verbose_name = "Programs and rounds"
