"""Submitting an application enqueues its screening once the transaction commits: checks, result, receipt."""

import pytest
from django.core import mail

from grants.applications.models import Submission
from grants.applications.services.submission import submit_application
from tests.factories import ContactFactory, SubmittedApplicationFactory

pytestmark = pytest.mark.django_db


def test_submitting_screens_the_snapshot_and_sends_the_receipt(django_capture_on_commit_callbacks):
    application = SubmittedApplicationFactory(status="draft", submitted_at=None, round__status="open")
    lead = ContactFactory(consortium=application.consortium).user

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit_application(application=application, by=lead)

    submission.refresh_from_db()
    assert submission.screening == Submission.Screening.PASSED
    assert submission.checks.count() == 5
    [receipt] = mail.outbox
    assert receipt.to == [lead.email]
    assert application.number in receipt.subject
    assert submission.checksum in receipt.body
