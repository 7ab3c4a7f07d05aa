"""Two deliveries of the screening task at once: they serialize on the submission row."""

import threading

import pytest
from django.core import mail
from django.db import connection

from grants.applications.models import ScreeningCheck, Submission
from grants.applications.services.screening import screen
from tests.factories import SubmissionFactory


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_record_the_checks_once_and_send_one_receipt():
    submission = SubmissionFactory()
    start = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            start.wait(timeout=10)
            results.append(screen(submission_id=submission.pk).screening)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert results == ["passed", "passed"]
    assert ScreeningCheck.objects.filter(submission=submission).count() == 5
    assert Submission.objects.get(pk=submission.pk).receipt_sent_at is not None
    assert len(mail.outbox) == 1
