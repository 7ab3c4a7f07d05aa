"""The daily reminder task through the real Redis broker and a running worker (see README: tests marked `worker`)."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import Assignment
from tests.factories import ApplicationFactory, AssignmentFactory, RoundFactory, UserFactory
from tests.helpers import enqueue, mail_files_containing, wait_until

REMIND = "grants.reviews.tasks.send_review_reminders"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_reminds_each_reader_once_a_day(celery_worker_ready, worker_mail_dir):
    round_ = RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=timezone.now() + timedelta(days=1))

    def reading(email):
        reader = UserFactory(role="Readers", email=email)
        application = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED)
        return AssignmentFactory(status="accepted", application=application, reader=reader)

    first_email = f"w-{uuid.uuid4().hex[:10]}@example.org"
    first = reading(first_email)
    enqueue(REMIND)
    enqueue(REMIND)  # a second run the same day must not remind again
    # Sent last: the worker takes one task at a time, so once this reader is reminded both runs above are done.
    second = reading(f"w-{uuid.uuid4().hex[:10]}@example.org")
    enqueue(REMIND)

    wait_until(lambda: Assignment.objects.get(pk=second.pk).last_reminded_at, "send the reminder")
    first.refresh_from_db()
    assert first.last_reminded_at is not None
    assert len(mail_files_containing(worker_mail_dir, f"To: {first_email}")) == 1
