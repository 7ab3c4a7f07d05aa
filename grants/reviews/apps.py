from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "grants.reviews"
    verbose_name = "Review and scoring"
