from ccpt.background.jobs import job

from .services import emails, reader_invitations, scoring


@job(coalesce=True, promise="scores and ranks will be brought up to date as soon as the background service is back")
def score_round(round_id: int) -> int:
    """Recompute every application's score and rank in a round. Safe to run twice or at once."""
    return scoring.score_round(round_id=round_id)


@job()
def send_review_reminders() -> int:
    """Remind readers of reviews not yet submitted (scheduled daily by Celery beat)."""
    return emails.send_reminders()


@job(promise="the invitation to read will be emailed when the mail service is back")
def send_reader_invitation(invitation_id: int) -> bool:
    """Email an invitation to read, once per link."""
    return reader_invitations.send(invitation_id)
