from django.apps import AppConfig


class ConversationsConfig(AppConfig):
    name = "grants.conversations"
    verbose_name = "Conversations about applications"

    def ready(self):
        from . import record  # noqa: F401 - answers to clarification requests, added to an application's record
