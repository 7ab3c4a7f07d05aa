"""The only Celery tasks: run one recorded job, sweep, and record a scheduled job (Celery beat)."""

from celery import shared_task
from django.db import transaction

from . import services


@shared_task(acks_late=True, ignore_result=True)
def run_job(job_id: int) -> str:
    return services.run(job_id)


@shared_task(ignore_result=True)
def sweep() -> int:
    return services.sweep()


@shared_task(ignore_result=True)
def schedule(task: str) -> None:
    """Celery beat's way in: record `task` as a job (so it is swept like any other) and send it."""
    with transaction.atomic():
        services.later(task)
