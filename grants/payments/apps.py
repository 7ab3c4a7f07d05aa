from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "grants.payments"
    verbose_name = "Payments, expenditures and closeout"

    def ready(self):
        from . import transitions  # noqa: F401 - declares this app's status changes to grants.workflow
