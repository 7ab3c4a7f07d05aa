"""Reminders of progress reports: one before a report is due, one once it is overdue, each sent exactly once per
report (ReportReminder's unique constraint, claimed in the same transaction as the email is handed over)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from consortia.models import Contact
from grants.awards.models import Award

from ..models import DataManager, ProgressReport, ReportReminder
from .plans import REPORTING_AWARDS
from .reports import open_reports

S = ProgressReport.Status
Stage = ReportReminder.Stage


def stage_of(report: ProgressReport, now: datetime) -> str | None:
    """The reminder a report not yet submitted is owed now: "overdue" once past due, "due soon" within
    CCPT_REPORT_REMINDER_DAYS of it, else none."""
    if report.status != S.DRAFT:
        return None
    if report.due_at < now:
        return Stage.OVERDUE
    if report.due_at <= now + timedelta(days=settings.CCPT_REPORT_REMINDER_DAYS):
        return Stage.DUE_SOON
    return None


def recipients_of(report: ProgressReport) -> list[str]:
    """The lead agency's staff and the consortium's data managers, who enter the values."""
    consortium_id = report.award.consortium_id
    leads = Contact.objects.filter(consortium_id=consortium_id, role=Contact.Role.LEAD, user__is_active=True)
    managers = DataManager.objects.filter(consortium_id=consortium_id, user__is_active=True)
    return sorted(
        set(leads.values_list("user__email", flat=True)) | set(managers.values_list("user__email", flat=True))
    )


def _owed(now: datetime):
    """Reports owed a reminder they have not had: not submitted, due within the reminder window or past due."""
    window = now + timedelta(days=settings.CCPT_REPORT_REMINDER_DAYS)
    return (
        ProgressReport.objects.filter(status=S.DRAFT, due_at__lte=window)
        .exclude(reminders__stage=Stage.OVERDUE)
        .select_related("award__consortium")
        .order_by("due_at", "pk")
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """Make every reporting award's reports ready, then send each reminder owed; how many were sent.

    Each is claimed and sent in its own transaction: a failed send rolls the claim back, so that the next run sends
    it; a concurrent run skips the report it holds, and the unique constraint stops a second reminder of a stage."""
    now = now or timezone.now()
    for award in Award.objects.filter(status__in=REPORTING_AWARDS).select_related("round"):
        open_reports(award)
    sent = 0
    for report in _owed(now):
        stage = stage_of(report, now)
        if stage is None:
            continue
        with transaction.atomic():
            locked = ProgressReport.objects.select_for_update(skip_locked=True).filter(pk=report.pk).first()
            if locked is None or locked.status != S.DRAFT or locked.reminders.filter(stage=stage).exists():
                continue
            recipients = recipients_of(report)
            if not recipients:
                continue
            ReportReminder.objects.create(report=locked, stage=stage, recipients=recipients)
            _message(report, stage, recipients, now).send()
        sent += 1
    return sent


def _message(report: ProgressReport, stage: str, recipients: list[str], now: datetime) -> EmailMessage:
    context = {
        "report": report,
        "overdue": stage == Stage.OVERDUE,
        "link": settings.SITE_URL + reverse("reporting:report", args=[report.pk]),
        "now": now,
    }
    what = "overdue" if stage == Stage.OVERDUE else "due soon"
    return EmailMessage(
        subject=f"CCPT Grants: {report.title} of {report.award.consortium} is {what}",
        body=render_to_string("reporting/emails/report_reminder.txt", context),
        to=recipients,
    )
