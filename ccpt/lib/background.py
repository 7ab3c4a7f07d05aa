"""Background work: a service names the task that must run once its transaction commits, and never imports the
task's module (tasks import services, never the reverse)."""

from django.db import transaction
from django.utils.module_loading import import_string


def later(task: str, *args, robust: bool = False) -> None:
    """Send `task` (its dotted path, e.g. "grants.reviews.tasks.score_round") to the workers after commit."""
    transaction.on_commit(lambda: import_string(task).delay(*args), robust=robust)
