"""The screening task through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import uuid

import pytest

from grants.applications.models import Submission
from tests.factories import SubmissionFactory
from tests.helpers import deliver_again, enqueue, mail_files_containing, wait_until

SCREEN = "grants.applications.tasks.screen_submission"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_screens_a_submission_and_sends_one_receipt(celery_worker_ready, worker_mail_dir):
    number = f"W-{uuid.uuid4().hex[:12]}"
    submission = SubmissionFactory(application__number=number)
    # Sent last: the worker takes one task at a time in order, so once this one is screened
    # both deliveries of the first have run.
    later = SubmissionFactory(application__number=f"W-{uuid.uuid4().hex[:12]}")

    job = enqueue(SCREEN, submission.pk)
    deliver_again(job)  # a duplicate delivery must not send a second receipt
    enqueue(SCREEN, later.pk)

    wait_until(
        lambda: all(Submission.objects.get(pk=s.pk).screened_at for s in (submission, later)), "screen the submissions"
    )
    submission.refresh_from_db()
    assert submission.screening == Submission.Screening.PASSED
    assert submission.receipt_sent_at is not None
    assert submission.checks.count() == 5
    assert len(mail_files_containing(worker_mail_dir, f"Subject: Receipt: application {number} submitted to ")) == 1
