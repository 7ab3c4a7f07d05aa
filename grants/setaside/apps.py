from django.apps import AppConfig


class SetAsideConfig(AppConfig):
    name = "grants.setaside"
    verbose_name = "Set-aside"
