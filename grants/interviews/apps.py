from django.apps import AppConfig


class InterviewsConfig(AppConfig):
    name = "grants.interviews"
    verbose_name = "Finalist interviews"

    def ready(self):
        from grants.reviews.services.results import add_publication_check
        from grants.reviews.services.stages import add_description, add_stage

        from . import transitions  # noqa: F401 - an interview review's life, declared to the workflow engine
        from .services.ranking import combine, method, unscored_finalists

        add_stage(combine)
        add_description(method)
        add_publication_check(unscored_finalists)
