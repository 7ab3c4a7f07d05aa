from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ccpt.api"
    label = "api"
    verbose_name = "API"

    def ready(self):
        from . import changes  # noqa: F401 - connects what counts as a change of an award or a report
