"""Reminders of reviews due within three days or overdue, at most once a day per assignment."""

from datetime import datetime, timedelta
from io import StringIO

import pytest
from celery import current_app
from django.conf import settings as django_settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from ccpt.background.models import Job
from ccpt.lib.dates import PACIFIC
from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import Assignment
from grants.reviews.services.emails import send_reminders
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    ReviewFactory,
    RoundFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MONDAY_10AM = datetime(2026, 3, 2, 10, 0, tzinfo=PACIFIC)


@pytest.fixture
def round_():
    return RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=MONDAY_10AM + timedelta(days=2, hours=7))


@pytest.fixture
def reader():
    return UserFactory(role="Readers", first_name="Rita", email="rita@example.org")


def reading(round_, reader, *, number, status=Assignment.Status.ACCEPTED, review=None):
    app = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number=number, title=f"Title {number}")
    made = AssignmentFactory(application=app, reader=reader, status=status)
    if review:
        ReviewFactory(submitted=True, assignment=made, status=review)
    return made


def test_a_reader_gets_one_message_listing_each_unfinished_review(round_, reader):
    awaiting = reading(round_, reader, number="R-001", status=Assignment.Status.ASSIGNED)
    draft = reading(round_, reader, number="R-002", review="draft")
    done = reading(round_, reader, number="R-003", review="submitted")
    removed = reading(round_, reader, number="R-004", status=Assignment.Status.REMOVED)

    assert send_reminders(now=MONDAY_10AM) == 1

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["rita@example.org"]
    assert message.subject == "CCPT Grants: 2 reviews due soon"
    assert "R-001: Title R-001" in message.body
    assert "R-002: Title R-002" in message.body
    assert "R-003" not in message.body
    assert "R-004" not in message.body
    assert "Due March 4, 2026, 5:00 PM PST." in message.body
    assert "You have not yet confirmed that you have no conflict of interest." in message.body
    for made in (awaiting, draft, done, removed):
        made.refresh_from_db()
    assert awaiting.last_reminded_at == draft.last_reminded_at == MONDAY_10AM
    assert done.last_reminded_at is None
    assert removed.last_reminded_at is None


def test_reminders_are_sent_at_most_once_a_day(round_, reader):
    reading(round_, reader, number="R-001")

    assert send_reminders(now=MONDAY_10AM) == 1
    assert send_reminders(now=MONDAY_10AM + timedelta(hours=13)) == 0  # 11 PM, still Monday in California
    assert len(mail.outbox) == 1
    assert send_reminders(now=MONDAY_10AM + timedelta(hours=15)) == 1  # 1 AM Tuesday
    assert len(mail.outbox) == 2


def test_a_new_assignment_is_reminded_the_same_day_without_repeating_the_first(round_, reader):
    reading(round_, reader, number="R-001")
    send_reminders(now=MONDAY_10AM)
    reading(round_, reader, number="R-002")

    assert send_reminders(now=MONDAY_10AM + timedelta(hours=1)) == 1

    assert "R-002" in mail.outbox[1].body
    assert "R-001" not in mail.outbox[1].body


def test_overdue_reviews_say_so(reader):
    late = RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=MONDAY_10AM - timedelta(days=1))
    reading(late, reader, number="R-009")

    assert send_reminders(now=MONDAY_10AM) == 1

    assert mail.outbox[0].subject == "CCPT Grants: 1 review overdue"
    assert "Overdue: it was due March 1, 2026, 10:00 AM PST." in mail.outbox[0].body


def test_nobody_is_reminded_of_reviews_due_later_or_outside_review(reader):
    later = RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=MONDAY_10AM + timedelta(days=3, minutes=1))
    closed = RoundFactory(status=Round.Status.CLOSED, review_due_at=MONDAY_10AM)
    undated = RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=None)
    for number, round_ in (("L-1", later), ("C-1", closed), ("U-1", undated)):
        reading(round_, reader, number=number)

    assert send_reminders(now=MONDAY_10AM) == 0
    assert mail.outbox == []


def test_each_reader_gets_their_own_message(round_, reader):
    other = UserFactory(role="Readers", email="omar@example.org")
    reading(round_, reader, number="R-001")
    reading(round_, other, number="R-002")

    assert send_reminders(now=MONDAY_10AM) == 2

    assert sorted(m.to[0] for m in mail.outbox) == ["omar@example.org", "rita@example.org"]


def test_a_failed_send_is_tried_again_on_the_next_run(round_, reader, monkeypatch):
    made = reading(round_, reader, number="R-001")

    def refuse(self, *args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        send_reminders(now=MONDAY_10AM)
    made.refresh_from_db()
    assert made.last_reminded_at is None
    monkeypatch.undo()

    assert send_reminders(now=MONDAY_10AM) == 1


@pytest.fixture
def due_tomorrow():
    return RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=timezone.now() + timedelta(days=1))


def test_the_management_command_sends_the_reminders_for_cron(due_tomorrow, reader):
    reading(due_tomorrow, reader, number="R-001")
    out = StringIO()

    call_command("send_review_reminders", stdout=out)

    assert len(mail.outbox) == 1
    assert out.getvalue().strip() == "Sent 1 reminder."


def test_celery_beat_runs_the_reminder_task_daily(due_tomorrow, reader, django_capture_on_commit_callbacks):
    reading(due_tomorrow, reader, number="R-001")

    entry = django_settings.CELERY_BEAT_SCHEDULE["review-reminders"]
    assert entry == {
        "task": "ccpt.background.tasks.schedule",
        "args": ["grants.reviews.tasks.send_review_reminders"],
        "schedule": 24 * 60 * 60,
    }
    with django_capture_on_commit_callbacks(execute=True):
        current_app.tasks[entry["task"]].delay(*entry["args"])  # what beat sends each day
    assert len(mail.outbox) == 1
    assert Job.objects.get().state == "done"
