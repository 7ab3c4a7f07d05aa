"""Deactivating a reader (with a reason) stops new assignments, may remove those without a submitted review, and
keeps the account and submitted reviews; reactivating lets them be assigned again."""

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.reviews.models import Assignment, Review
from grants.reviews.services import assignment, readers
from tests.factories import AssignmentFactory, ReviewFactory, RoundFactory, SubmittedApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_():
    return RoundFactory(status="in_review", readers_per_application=1)


@pytest.fixture
def rita():
    return UserFactory(role="Readers", first_name="Rita", last_name="Reader")


def test_a_deactivated_reader_is_refused_by_hand_with_a_clear_message(round_, rita, staff_user):
    readers.deactivate(reader=rita, by=staff_user, reason="On leave")
    with pytest.raises(Refusal) as refused:
        assignment.assign(application=SubmittedApplicationFactory(round=round_), reader=rita, by=staff_user)
    assert "Rita Reader is deactivated in the reader pool" in refused.value.message


def test_automatic_assignment_skips_a_deactivated_reader(round_, rita, staff_user):
    sam = UserFactory(role="Readers")
    SubmittedApplicationFactory(round=round_)
    readers.deactivate(reader=rita, by=staff_user, reason="On leave")
    result = assignment.auto_assign(round_=round_, by=staff_user)
    assert set(Assignment.objects.values_list("reader_id", flat=True)) == {sam.pk}
    assert rita.pk not in result.loads


def test_deactivating_may_remove_the_assignments_without_a_submitted_review(staff_client, round_, rita):
    open_one = AssignmentFactory(reader=rita, application=SubmittedApplicationFactory(round=round_))
    done = ReviewFactory(
        assignment=AssignmentFactory(
            reader=rita, status="accepted", application=SubmittedApplicationFactory(round=round_)
        ),
        submitted=True,
    )
    url = reverse("reviews:reader-deactivate", args=[rita.pk])
    page = staff_client.get(url).content.decode()
    assert "has 1 assignment without a submitted review" in page
    assert staff_client.post(url, {"reason": "Withdrew", "remove_unsubmitted": "on"}).status_code == 302

    open_one.refresh_from_db()
    assert open_one.status == Assignment.Status.REMOVED
    assert open_one.end_reason == "Reader deactivated: Withdrew"
    assert Assignment.objects.get(pk=done.assignment_id).status == Assignment.Status.ACCEPTED
    assert Review.objects.get(pk=done.pk).status == Review.Status.SUBMITTED
    rita.refresh_from_db()
    assert rita.is_active and rita.is_reader  # the account and role stay
    assert Event.objects.filter(object_id=rita.pk, summary__startswith="Reader deactivated").exists()
    board = staff_client.get(reverse("reviews:assignment-board", args=[round_.pk]) + "?show=needing")
    assert open_one.application.number in board.content.decode()


def test_deactivating_without_the_box_keeps_the_assignments(round_, rita, staff_user):
    kept = AssignmentFactory(reader=rita, application=SubmittedApplicationFactory(round=round_))
    readers.deactivate(reader=rita, by=staff_user, reason="On leave")
    kept.refresh_from_db()
    assert kept.status == Assignment.Status.ASSIGNED


def test_deactivating_needs_a_reason(staff_client, rita):
    response = staff_client.post(reverse("reviews:reader-deactivate", args=[rita.pk]), {"reason": "  "})
    assert response.status_code == 422
    assert readers.profile_of(rita) is None


def test_a_reactivated_reader_may_be_assigned_again(staff_client, round_, rita, staff_user):
    readers.deactivate(reader=rita, by=staff_user, reason="On leave")
    assert (
        staff_client.post(reverse("reviews:reader-reactivate", args=[rita.pk]), {"reason": "Back"}).status_code == 302
    )
    assignment.assign(application=SubmittedApplicationFactory(round=round_), reader=rita, by=staff_user)
    assert Event.objects.filter(object_id=rita.pk, summary="Reader reactivated: may be assigned again (Back)").exists()
