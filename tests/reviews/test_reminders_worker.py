"""The daily reminder task through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import os
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import Assignment
from grants.reviews.tasks import send_review_reminders
from tests.factories import ApplicationFactory, AssignmentFactory, RoundFactory, UserFactory


def _mail_dir() -> Path:
    directory = os.environ.get("CCPT_WORKER_MAIL_DIR")
    if not directory:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but CCPT_WORKER_MAIL_DIR is not set", pytrace=False)
        pytest.skip("needs CCPT_WORKER_MAIL_DIR: the worker's EMAIL_URL=filemail:// directory")
    return Path(directory)


def _messages_to(mail_dir: Path, email: str) -> list[Path]:
    return [
        path for path in mail_dir.glob("*") if path.is_file() and f"To: {email}" in path.read_text(errors="replace")
    ]


def _wait_until_reminded(assignment: Assignment, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if Assignment.objects.get(pk=assignment.pk).last_reminded_at:
            return
        time.sleep(0.25)
    pytest.fail(f"the worker did not send the reminder within {timeout:.0f} s", pytrace=False)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_reminds_each_reader_once_a_day(celery_worker_ready):
    mail_dir = _mail_dir()
    round_ = RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=timezone.now() + timedelta(days=1))

    def reading(email):
        reader = UserFactory(role="Readers", email=email)
        application = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED)
        return AssignmentFactory(status="accepted", application=application, reader=reader)

    first_email = f"w-{uuid.uuid4().hex[:10]}@example.org"
    first = reading(first_email)
    send_review_reminders.delay()
    send_review_reminders.delay()  # a second run the same day must not remind again
    # Sent last: the worker takes one task at a time, so once this reader is reminded both runs above are done.
    second = reading(f"w-{uuid.uuid4().hex[:10]}@example.org")
    send_review_reminders.delay()

    _wait_until_reminded(second)
    first.refresh_from_db()
    assert first.last_reminded_at is not None
    assert len(_messages_to(mail_dir, first_email)) == 1
