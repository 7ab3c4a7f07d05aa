from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "grants.appeals"
    verbose_name = "Appeals"

    def ready(self):
        from grants.awards.services.allocation import add_fundable_source
        from grants.reviews.services.rereading import add_reopen_check

        from . import transitions  # noqa: F401 - the appeal's life, declared to the workflow engine
        from .rereading import reopened_at
        from .services import fundable_by_appeal

        add_fundable_source(fundable_by_appeal)
        add_reopen_check(reopened_at)  # an upheld appeal with a new reading re-opens its application's review
