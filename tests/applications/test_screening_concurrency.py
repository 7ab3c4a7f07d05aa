"""Two deliveries of the screening task at once: they serialize on the submission row."""

import pytest
from django.core import mail

from grants.applications.models import ScreeningCheck, Submission
from grants.applications.services.screening import screen
from tests.factories import SubmissionFactory
from tests.helpers import race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_record_the_checks_once_and_send_one_receipt():
    submission = SubmissionFactory()

    def run():
        return screen(submission_id=submission.pk).screening

    results = race(run, run)  # fails the test if either run raises

    assert results == ["passed", "passed"]
    assert ScreeningCheck.objects.filter(submission=submission).count() == 5
    assert Submission.objects.get(pk=submission.pk).receipt_sent_at is not None
    assert len(mail.outbox) == 1
