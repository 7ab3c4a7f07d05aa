from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "grants.search"
    verbose_name = "Search"

    def ready(self):
        from . import signals  # noqa: F401 - keeps each application's search document up to date
