"""Reminders of progress reports go out through the background work exactly once per report and stage: before the
report is due, and once it is overdue; never for a submitted report; a failed send is retried by the next run."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail

from ccpt.background.models import Job
from ccpt.background.services import later
from grants.reporting.models import ProgressReport, ReportReminder
from grants.reporting.services import reminders, review
from tests.reporting.test_progress_reports import fill

pytestmark = pytest.mark.django_db


def test_a_report_is_reminded_once_before_it_is_due_and_once_when_overdue(grantee):
    first = grantee.report()
    before = first.due_at - timedelta(days=10)

    assert reminders.send_reminders(now=before) == 1
    assert reminders.send_reminders(now=before + timedelta(days=1)) == 0  # the same stage: not again
    after = first.due_at + timedelta(hours=1)
    assert reminders.send_reminders(now=after) == 1
    assert reminders.send_reminders(now=after + timedelta(days=30)) == 0

    soon, overdue = mail.outbox
    assert soon.subject == f"CCPT Grants: Annual report 2026-27 of {grantee.consortium} is due soon"
    assert overdue.subject.endswith("is overdue")
    assert sorted(soon.to) == sorted(
        [grantee.lead.email, grantee.district_manager.email, grantee.college_manager.email]
    )
    assert f"/reports/{first.pk}/" in soon.body
    assert list(first.reminders.values_list("stage", flat=True).order_by("stage")) == ["due_soon", "overdue"]


def test_a_report_far_from_due_is_not_reminded(grantee):
    first = grantee.report()

    assert reminders.send_reminders(now=first.due_at - timedelta(days=60)) == 0
    assert mail.outbox == []


def test_a_submitted_report_is_never_reminded(grantee):
    first = grantee.report()
    fill(first, grantee.lead)
    review.submit(report=first, by=grantee.lead)

    assert reminders.send_reminders(now=first.due_at + timedelta(days=1)) == 0
    assert not ReportReminder.objects.exists()


def test_a_failed_send_is_not_counted_as_sent_and_the_next_run_sends_it(grantee):
    first = grantee.report()
    now = first.due_at + timedelta(days=1)

    with (
        mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("mail server down")),
        pytest.raises(OSError),
    ):
        reminders.send_reminders(now=now)
    assert not ReportReminder.objects.exists()

    assert reminders.send_reminders(now=now) == 1
    assert ReportReminder.objects.get().stage == "overdue"


def test_the_daily_job_runs_through_the_background_work(grantee, django_capture_on_commit_callbacks):
    ProgressReport.objects.filter(pk=grantee.report().pk).update(due_at=grantee.report().due_at.replace(year=2020))

    with django_capture_on_commit_callbacks(execute=True):
        later("grants.reporting.tasks.send_report_reminders")

    assert Job.objects.get().state == Job.State.DONE
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.endswith("is overdue")
