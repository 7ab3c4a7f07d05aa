from ccpt.background.jobs import job

from . import services


@job(promise="the people concerned will be emailed when the mail service is back")
def notify(message_id: int) -> int:
    """Put a new message in each recipient's inbox and email them, once per message and person."""
    return services.notify(message_id)


@job()
def send_digests() -> int:
    """Each person's waiting messages in one email (daily, by Celery beat)."""
    return services.send_digests()
