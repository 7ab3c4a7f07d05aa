from ccpt.background.jobs import job

from .services import emails


@job(promise="the finalist will be emailed their interview slot when the mail service is back")
def notify_slot(interview_id: int) -> int:
    """Email a finalist's contacts their interview slot, once per slot."""
    return emails.notify_slot(interview_id)


@job(promise="the panel will be emailed the interview's slot when the mail service is back")
def notify_panel(interview_id: int) -> int:
    """Email the panel's members an interview's slot, once per slot."""
    return emails.notify_panel(interview_id)


@job(promise="the finalist will be emailed the answer to their request when the mail service is back")
def notify_answer(slot_request_id: int) -> int:
    """Email the answer to a finalist's request for another slot, once."""
    return emails.notify_answer(slot_request_id)
