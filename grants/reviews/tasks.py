from celery import shared_task

from .services import emails, scoring


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def score_round(round_id: int) -> int:
    """Recompute every application's score and rank in a round. Safe to run twice or at once."""
    return scoring.score_round(round_id=round_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_review_reminders() -> int:
    """Remind readers of reviews not yet submitted (scheduled daily by Celery beat)."""
    return emails.send_reminders()
