from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "grants.reviews"
    verbose_name = "Review and scoring"

    def ready(self):
        from . import transitions  # noqa: F401 - declares this app's status changes to grants.workflow
