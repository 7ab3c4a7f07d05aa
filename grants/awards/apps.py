from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "grants.awards"
    verbose_name = "Funding decisions and awards"

    def ready(self):
        from . import transitions  # noqa: F401 - declares this app's status changes to grants.workflow
