from ccpt.background.jobs import job

from .services import reminders


@job()
def send_report_reminders() -> int:
    """Remind consortia of progress reports due soon or overdue, once per report and stage (daily, by Celery beat)."""
    return reminders.send_reminders()
