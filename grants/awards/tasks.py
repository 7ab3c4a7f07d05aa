from celery import shared_task

from .services import notices


@shared_task(bind=True, autoretry_for=notices.TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=6)
def send_notice(self, notice_id: int) -> bool:
    """Deliver an award or decline notice exactly once; transient mail errors retry with backoff."""
    return notices.deliver(notice_id=notice_id, final_attempt=self.request.retries >= self.max_retries)
