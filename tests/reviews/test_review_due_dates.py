"""Staff set a round's review due date and extend one reader's assignment; the queue, board and reminders use it."""

from datetime import datetime, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import Assignment
from grants.reviews.services.due_dates import extend_assignment, set_review_due
from grants.reviews.services.emails import send_reminders
from tests.factories import ApplicationFactory, AssignmentFactory, RoundFactory, UserFactory

pytestmark = pytest.mark.django_db

MONDAY_10AM = datetime(2026, 3, 2, 10, 0, tzinfo=PACIFIC)
FRIDAY_5PM = datetime(2026, 3, 13, 17, 0, tzinfo=PACIFIC)


@pytest.fixture
def round_():
    """Reviews were due yesterday."""
    return RoundFactory(status=Round.Status.IN_REVIEW, review_due_at=MONDAY_10AM - timedelta(days=1))


@pytest.fixture
def reader():
    return UserFactory(role="Readers", first_name="Rita", email="rita@example.org")


@pytest.fixture
def assignment(round_, reader):
    application = ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R-001")
    return AssignmentFactory(application=application, reader=reader, status=Assignment.Status.ACCEPTED)


def test_staff_set_the_rounds_review_due_date_on_the_board_and_it_is_audited(client, round_, staff_user):
    client.force_login(staff_user)
    response = client.post(
        reverse("reviews:review-due", args=[round_.pk]), {"review_due_at": "2026-03-13T17:00"}, follow=True
    )
    assert "Review due date saved." in response.content.decode()
    round_.refresh_from_db()
    assert round_.review_due_at == FRIDAY_5PM
    event = Event.objects.filter(action=Event.Action.SETTING_CHANGE, object_id=round_.pk).get()
    assert event.actor == staff_user
    assert event.summary.startswith("Reviews due: March 1, 2026") and event.summary.endswith(
        "March 13, 2026, 5:00 PM PDT"
    )


def test_only_staff_set_due_dates(client, round_, assignment, reader):
    client.force_login(reader)
    assert client.post(reverse("reviews:review-due", args=[round_.pk]), {"review_due_at": ""}).status_code == 403
    extend = reverse("reviews:assignment-extend", args=[round_.pk, assignment.pk])
    assert client.post(extend, {"due_at": "2026-03-13T17:00", "reason": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        set_review_due(round_=round_, by=reader, due_at=None)
    with pytest.raises(PermissionDenied):
        extend_assignment(assignment=assignment, by=reader, due_at=FRIDAY_5PM, reason="I need more time.")
    round_.refresh_from_db()
    assignment.refresh_from_db()
    assert round_.review_due_at is not None and assignment.due_at is None


def test_an_extension_needs_a_reason(client, round_, assignment, staff_user):
    with pytest.raises(Refusal, match="Give a reason"):
        extend_assignment(assignment=assignment, by=staff_user, due_at=FRIDAY_5PM, reason=" ")
    client.force_login(staff_user)
    response = client.post(
        reverse("reviews:assignment-extend", args=[round_.pk, assignment.pk]), {"due_at": "2026-03-13T17:00"}
    )
    assert "Give a reason for the new due date; it is kept in the record." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.due_at is None


def test_staff_extend_one_readers_assignment_and_it_is_shown_on_the_board_and_audited(
    client, round_, assignment, staff_user
):
    client.force_login(staff_user)
    client.post(
        reverse("reviews:assignment-extend", args=[round_.pk, assignment.pk]),
        {"due_at": "2026-03-13T17:00", "reason": "Rita was ill last week."},
    )
    assignment.refresh_from_db()
    assert (assignment.due_at, assignment.due_reason) == (FRIDAY_5PM, "Rita was ill last week.")
    event = Event.objects.filter(action=Event.Action.SETTING_CHANGE, object_id=assignment.pk).get()
    assert event.actor == staff_user
    assert event.summary == (
        "Review due for Rita "
        f"{assignment.reader.last_name} on R-001: none → March 13, 2026, 5:00 PM PDT (Rita was ill last week.)"
    )

    board = client.get(reverse("reviews:assignment-board", args=[round_.pk])).content.decode()
    assert 'March 13, 2026, 5:00 PM PDT</time></span> <span class="small">(Rita was ill last week.)' in board


def test_the_readers_queue_shows_the_extended_date(client, round_, assignment, reader, staff_user):
    extend_assignment(assignment=assignment, by=staff_user, due_at=FRIDAY_5PM, reason="Ill.")
    client.force_login(reader)
    queue = client.get(reverse("reviews:reviews")).content.decode()
    assert 'March 13, 2026, 5:00 PM PDT</time><span class="cell-detail">Extended for you</span>' in queue
    assert "March 1, 2026" not in queue


def test_an_extended_assignment_is_not_overdue_at_the_rounds_date(round_, assignment, reader, staff_user):
    AssignmentFactory(
        application=ApplicationFactory(round=round_, status=Application.Status.SUBMITTED, number="R-002"),
        reader=reader,
        status=Assignment.Status.ACCEPTED,
    )
    extend_assignment(assignment=assignment, by=staff_user, due_at=FRIDAY_5PM, reason="Ill.")

    assert send_reminders(now=MONDAY_10AM) == 1
    body = mail.outbox[0].body
    assert "R-002" in body and "R-001" not in body  # R-001 is due in 11 days: not yet reminded

    mail.outbox.clear()
    assert send_reminders(now=FRIDAY_5PM - timedelta(days=1)) == 1  # within 3 days of its own date
    body = mail.outbox[0].body
    assert "R-001" in body and "Due March 13, 2026, 5:00 PM PDT (extended for you)." in body
    assert "Overdue: it was due March 1, 2026" in body  # R-002 keeps the round's date
