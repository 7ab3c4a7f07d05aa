from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "grants.applications"
    verbose_name = "Applications"
