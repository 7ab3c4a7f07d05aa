from celery import shared_task

from .services import screening


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def screen_submission(submission_id: int) -> str:
    """Re-check a submission against its round's rules and send the receipt. Safe to run twice."""
    return screening.screen(submission_id=submission_id).screening


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def score_round(round_id: int) -> int:
    """Recompute every application's score and rank in a round. Safe to run twice or at once."""
    from .services import scoring

    return scoring.score_round(round_id=round_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_review_reminders() -> int:
    """Remind readers of reviews not yet submitted (scheduled daily by Celery beat)."""
    from .services import assignment

    return assignment.send_reminders()
