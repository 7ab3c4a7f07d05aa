from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "consortia.accounts"
    label = "accounts"
    verbose_name = "Signing in"

    def ready(self):
        from . import signals  # noqa: F401 - the audit trail of sign-ins listens to Django's and axes' signals
