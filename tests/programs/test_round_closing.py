"""Pages say when a round's applications really closed (staff may close a round early), in the right tense."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import format_datetime
from grants import workflow
from grants.applications.services import submission as service
from grants.applications.services.snapshot import build_snapshot
from grants.models import StatusChange
from grants.programs.closing import closing, closings
from grants.programs.models import Round
from grants.reviews.models import Assignment
from tests.factories import AssignmentFactory, OpenRoundFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def _close_early(round_, staff_user, *, hours_ago=2):
    """Staff close the round `hours_ago` hours ago, days before its deadline, then start review."""
    workflow.transition(round_, Round.Status.CLOSED, by=staff_user)
    at = timezone.now() - timedelta(hours=hours_ago)
    StatusChange.objects.filter(object_id=round_.pk, to_status="closed").update(at=at)
    Round.objects.filter(pk=round_.pk).update(closed_at=at)
    round_.refresh_from_db()
    workflow.transition(round_, Round.Status.IN_REVIEW, by=staff_user)
    return at


def test_an_open_round_closes_at_its_deadline_without_a_query():
    round_ = OpenRoundFactory()

    with CaptureQueriesContext(connection) as queries:
        found = closing(round_)

    assert (found.at, found.closed, found.early) == (round_.closes_at, False, False)
    assert len(queries) == 0


def test_closing_a_round_records_when_and_reopening_it_forgets(staff_user, admin_user):
    round_ = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=20))
    before = timezone.now()

    workflow.transition(round_, Round.Status.CLOSED, by=staff_user)
    round_.refresh_from_db()
    assert before <= round_.closed_at <= timezone.now()
    assert closing(round_).early

    workflow.transition(round_, Round.Status.OPEN, by=admin_user, reason="Closed by mistake.")
    round_.refresh_from_db()
    assert round_.closed_at is None
    assert not closing(round_).closed


def test_rounds_closed_before_the_field_existed_take_it_from_their_history(staff_user, admin_user):
    """The migration's backfill: the last change to "closed", for rounds that have not reopened since."""
    from importlib import import_module

    from django.apps import apps

    backfill = import_module("grants.programs.migrations.0003_round_closed_at").closed_at_from_history
    early = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=20))
    closed_at = _close_early(early, staff_user)
    reopened = OpenRoundFactory()
    workflow.transition(reopened, Round.Status.CLOSED, by=staff_user)
    workflow.transition(reopened, Round.Status.OPEN, by=admin_user, reason="Closed by mistake.")
    Round.objects.update(closed_at=None)

    backfill(apps, None)

    assert Round.objects.get(pk=early.pk).closed_at == closed_at
    assert Round.objects.get(pk=reopened.pk).closed_at is None


def test_a_round_closed_early_closed_when_staff_closed_it_without_a_query(staff_user):
    round_ = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=20))
    closed_at = _close_early(round_, staff_user)

    with CaptureQueriesContext(connection) as queries:
        found = closing(round_)

    assert (found.at, found.closed, found.early, found.deadline) == (closed_at, True, True, round_.closes_at)
    assert len(queries) == 0


def test_a_round_closed_after_its_deadline_closed_at_the_deadline(staff_user):
    round_ = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=1))
    workflow.transition(round_, Round.Status.CLOSED, by=staff_user)
    Round.objects.filter(pk=round_.pk).update(closed_at=timezone.now() + timedelta(days=3))
    round_.refresh_from_db()

    found = closing(round_)

    assert (found.at, found.closed, found.early) == (round_.closes_at, True, False)


def test_a_round_past_its_deadline_but_still_marked_open_says_closed():
    round_ = OpenRoundFactory()
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    round_.refresh_from_db()

    assert closing(round_).closed


@pytest.fixture
def reading(db):
    """A reader's accepted assignment of a submitted application whose round closes in 20 days."""
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    application = assignment.application
    Round.objects.filter(pk=application.round_id).update(
        status=Round.Status.OPEN, closes_at=timezone.now() + timedelta(days=20)
    )
    application.round.refresh_from_db()
    submission = application.submissions.get()
    submission.data = build_snapshot(application, submitted_at=timezone.now())
    submission.save()
    return assignment


def test_the_readers_copy_says_when_staff_really_closed_the_round(client, reading, staff_user):
    round_ = reading.application.round
    deadline = round_.closes_at
    closed_at = _close_early(round_, staff_user)
    client.force_login(reading.reader)

    page = client.get(reverse("reviews:review", args=[reading.pk])).content.decode()

    assert f'Applications closed</dt><dd class="col-sm-9">{format_datetime(closed_at)}' in page
    assert f"closed by program staff before the deadline of {format_datetime(deadline)}" in page


def test_the_submitted_copy_of_a_round_still_open_says_applications_close(client):
    application = submittable_application(round=OpenRoundFactory(closes_at=timezone.now() + timedelta(days=9)))
    service.submit_application(application=application, by=lead_of(application))
    client.force_login(lead_of(application))

    page = client.get(reverse("applications:submission", args=[application.pk])).content.decode()

    deadline = format_datetime(application.round.closes_at)
    assert f'Applications close</dt><dd class="col-sm-9">{deadline}' in page
    assert "Applications closed" not in page


def test_the_application_overview_of_a_round_closed_early_says_it_closed(client, staff_user):
    application = submittable_application(round=OpenRoundFactory(closes_at=timezone.now() + timedelta(days=9)))
    service.submit_application(application=application, by=lead_of(application))
    closed_at = _close_early(application.round, staff_user)
    client.force_login(lead_of(application))

    page = client.get(application.get_absolute_url()).content.decode()

    assert "Applications closed</dt>" in page
    assert format_datetime(closed_at) in page
    assert "left)" not in page


def test_the_reader_reads_the_snapshot_laid_out_by_section_not_as_a_raw_outline(client, reading):
    client.force_login(reading.reader)

    page = client.get(reverse("reviews:review", args=[reading.pk])).content.decode()

    assert 'id="snap-overview"' in page and 'id="snap-budget"' in page
    assert "<dt>Id</dt>" not in page


def test_my_applications_says_when_a_round_closed_early(client, staff_user):
    application = submittable_application()
    round_ = application.round
    Round.objects.filter(pk=round_.pk).update(closes_at=timezone.now() + timedelta(days=20))
    round_.refresh_from_db()
    closed_at = _close_early(round_, staff_user)
    client.force_login(lead_of(application))

    page = client.get(reverse("applications:applications")).content.decode()

    assert f"Closed {format_datetime(closed_at)}" in page
    assert f"early; the deadline was {format_datetime(round_.closes_at)}" in page


def test_closings_of_several_rounds_take_no_query(staff_user):
    open_round = OpenRoundFactory()
    early = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=20))
    closed_at = _close_early(early, staff_user)

    with CaptureQueriesContext(connection) as queries:
        found = closings([open_round, early])

    assert len(queries) == 0
    assert (found[early.pk].at, found[early.pk].early) == (closed_at, True)
    assert (found[open_round.pk].at, found[open_round.pk].closed) == (open_round.closes_at, False)


def test_the_dashboard_says_a_draft_s_round_closed_early_not_that_it_closes_at_the_deadline(client, staff_user):
    round_ = OpenRoundFactory(closes_at=timezone.now() + timedelta(days=20))
    draft = submittable_application(round=round_)
    closed_at = _close_early(round_, staff_user)
    client.force_login(lead_of(draft))

    page = client.get(reverse("dashboard")).content.decode()

    assert f"applications closed {format_datetime(closed_at)}" in page
    assert f"closes {format_datetime(round_.closes_at)}" not in page
