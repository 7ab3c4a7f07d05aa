import logging

from celery import shared_task

from .services import assignment, notices, scoring, screening

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def screen_submission(submission_id: int) -> str:
    """Re-check a submission against its round's rules and send the receipt. Safe to run twice."""
    try:
        return screening.screen(submission_id=submission_id).screening
    except screening.StaleSubmission as stale:
        logger.info("%s", stale)
        return "stale"


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def score_round(round_id: int) -> int:
    """Recompute every application's score and rank in a round. Safe to run twice or at once."""
    return scoring.score_round(round_id=round_id)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_review_reminders() -> int:
    """Remind readers of reviews not yet submitted (scheduled daily by Celery beat)."""
    return assignment.send_reminders()


@shared_task(bind=True, autoretry_for=notices.TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_notice(self, notice_id: int) -> bool:
    """Deliver an award or decline notice exactly once; transient mail errors retry with backoff."""
    return notices.deliver(notice_id=notice_id, final_attempt=self.request.retries >= self.max_retries)
