from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "ccpt.background"
    label = "background"
    verbose_name = "Background work"
