"""The screening task through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import os
import time
import uuid
from pathlib import Path

import pytest

from grants.applications.models import Submission
from grants.applications.tasks import screen_submission
from tests.factories import SubmissionFactory


def _mail_dir() -> Path:
    directory = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not directory:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CCPT_WORKER_MAIL_DIR is not set", pytrace=False)
        pytest.skip("needs CCPT_WORKER_MAIL_DIR: the worker's EMAIL_URL=filemail:// directory")
    return Path(directory)


def _receipts(mail_dir: Path, number: str) -> list[Path]:
    subject = f"Subject: Receipt: application {number} submitted to "
    return [path for path in mail_dir.glob("*") if path.is_file() and subject in path.read_text(errors="replace")]


def _wait_until_screened(*submissions: Submission, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(Submission.objects.get(pk=s.pk).screened_at for s in submissions):
            return
        time.sleep(0.25)
    pytest.fail(f"the worker did not screen the submissions within {timeout:.0f} s", pytrace=False)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_screens_a_submission_and_sends_one_receipt(celery_worker_ready):
    mail_dir = _mail_dir()
    number = f"W-{uuid.uuid4().hex[:12]}"
    submission = SubmissionFactory(application__number=number)
    # Sent last: the worker takes one task at a time in order, so once this one is screened
    # both deliveries of the first have run.
    later = SubmissionFactory(application__number=f"W-{uuid.uuid4().hex[:12]}")

    screen_submission.delay(submission.pk)
    screen_submission.delay(submission.pk)  # a duplicate delivery must not send a second receipt
    screen_submission.delay(later.pk)

    _wait_until_screened(submission, later)
    submission.refresh_from_db()
    assert submission.screening == Submission.Screening.PASSED
    assert submission.receipt_sent_at is not None
    assert submission.checks.count() == 5
    assert len(_receipts(mail_dir, number)) == 1
