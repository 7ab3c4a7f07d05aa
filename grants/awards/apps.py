from django.apps import AppConfig


class AwardsConfig(AppConfig):
    name = "grants.awards"
    verbose_name = "Funding decisions and awards"
