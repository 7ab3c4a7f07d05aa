from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "grants.outcomes"
    verbose_name = "Outcomes"
