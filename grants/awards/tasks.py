from ccpt.background.jobs import job

from .services import notices


@job(
    retry_on=notices.TRANSIENT,
    attempts=7,
    give_up=notices.give_up,
    promise="the notices will be emailed when the mail service is back",
)
def send_notice(notice_id: int) -> bool:
    """Deliver an award or decline notice exactly once; transient mail errors are retried with backoff."""
    return notices.deliver(notice_id=notice_id)
