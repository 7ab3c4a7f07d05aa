import logging

from celery import shared_task

from .services import screening

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def screen_submission(submission_id: int) -> str:
    """Re-check a submission against its round's rules and send the receipt. Safe to run twice."""
    try:
        return screening.screen(submission_id=submission_id).screening
    except screening.StaleSubmission as stale:
        logger.info("%s", stale)
        return "stale"
