from ccpt.background.jobs import job

from .services import emails, scoring


@job(coalesce=True, promise="scores and ranks will be brought up to date as soon as the background service is back")
def score_round(round_id: int) -> int:
    """Recompute every application's score and rank in a round. Safe to run twice or at once."""
    return scoring.score_round(round_id=round_id)


@job()
def send_review_reminders() -> int:
    """Remind readers of reviews not yet submitted (scheduled daily by Celery beat)."""
    return emails.send_reminders()
