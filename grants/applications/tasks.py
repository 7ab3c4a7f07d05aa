import logging

from ccpt.background.jobs import job

from .services import screening

logger = logging.getLogger(__name__)


@job(promise="the receipt will be emailed when the mail service is back")
def screen_submission(submission_id: int) -> str:
    """Re-check a submission against its round's rules and send the receipt. Safe to run twice."""
    try:
        return screening.screen(submission_id=submission_id).screening
    except screening.StaleSubmission as stale:
        logger.info("%s", stale)
        return "stale"
