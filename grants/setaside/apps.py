from django.apps import AppConfig


class SetAsideConfig(AppConfig):
    name = "grants.setaside"
    verbose_name = "Set-aside"

    def ready(self):
        from grants.programs.services import PROGRAM_MONEY_CHECKS

        from .services import reserve_problems

        # Whenever a program's money changes, its reserve must still cover what was drawn from it.
        PROGRAM_MONEY_CHECKS.append(reserve_problems)
