"""Staff unlock a submitted review with a reason: a draft again, recorded, every version of the scores kept."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.reviews.models import Assignment, Review, Score
from grants.reviews.services import reviews

from ..factories import AssignmentFactory, CriterionFactory


@pytest.fixture
def criterion(db):
    assignment = AssignmentFactory(status=Assignment.Status.ACCEPTED)
    return CriterionFactory(round=assignment.application.round, max_points=Decimal("10"), weight=Decimal("2"))


@pytest.fixture
def assignment(criterion):
    return Assignment.objects.get(application__round=criterion.round)


def _submit(assignment, criterion, points):
    data = {"scores": {criterion.pk: {"points": Decimal(points), "comment": "Well argued."}}}
    return reviews.save_review(assignment=assignment, by=assignment.reader, data=data, submit=True)


@pytest.fixture
def review(assignment, criterion, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # submitted, and its scoring done
        return _submit(assignment, criterion, "8")


def _unlock_url(assignment):
    return reverse("reviews:review-unlock", args=[assignment.pk])


def test_unlocking_needs_a_reason(client, staff_user, review, assignment):
    client.force_login(staff_user)

    response = client.post(_unlock_url(assignment), {"reason": " "})

    assert response.status_code == 200
    assert "Give a reason for unlocking the review; it is kept in the record." in response.content.decode()
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED
    with pytest.raises(Refusal, match="Give a reason"):
        reviews.unlock(review=review, by=staff_user, reason="")


def test_unlocking_returns_the_review_to_a_draft_and_records_why(client, staff_user, review, assignment):
    client.force_login(staff_user)

    response = client.post(_unlock_url(assignment), {"reason": "Reader scored the wrong budget year."})

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == Review.Status.DRAFT
    assert review.submitted_at is None
    assert review.total is None
    change = StatusChange.objects.get(
        content_type__model="review", object_id=review.pk, from_status="submitted", to_status="draft"
    )
    assert change.by == staff_user
    assert change.reason == "Reader scored the wrong budget year."
    page = client.get(_unlock_url(assignment)).content.decode()
    assert "Reader scored the wrong budget year." in page


def test_the_reader_can_change_and_submit_again_and_every_version_is_kept(staff_user, review, assignment, criterion):
    reviews.unlock(review=review, by=staff_user, reason="Please revisit the partner criterion.")

    resubmitted = _submit(assignment, criterion, "6")

    assert resubmitted.status == Review.Status.SUBMITTED
    assert resubmitted.total == Decimal("12.00")
    score = Score.objects.get(review=review)
    assert [h.points for h in score.history.order_by("history_date")] == [Decimal("8.0"), Decimal("6.0")]
    statuses = [h.status for h in Review.history.filter(id=review.pk).order_by("history_date")]
    assert statuses[-3:] == ["submitted", "draft", "submitted"]


def test_readers_cannot_unlock(client, review, assignment):
    client.force_login(assignment.reader)

    assert client.get(_unlock_url(assignment)).status_code == 403
    assert client.post(_unlock_url(assignment), {"reason": "I changed my mind."}).status_code == 403
    with pytest.raises(PermissionDenied):
        reviews.unlock(review=review, by=assignment.reader, reason="I changed my mind.")
    review.refresh_from_db()
    assert review.status == Review.Status.SUBMITTED


def test_a_draft_cannot_be_unlocked(staff_user, assignment, criterion):
    draft = reviews.save_review(assignment=assignment, by=assignment.reader, data={}, submit=False)

    with pytest.raises(Refusal, match="not submitted"):
        reviews.unlock(review=draft, by=staff_user, reason="Just in case.")


def test_nothing_can_be_unlocked_once_results_are_published(staff_user, review, assignment):
    round_ = assignment.application.round
    round_.results_published_at = timezone.now()
    round_.save()

    with pytest.raises(Refusal, match="published"):
        reviews.unlock(review=review, by=staff_user, reason="Too late.")


def test_unlocking_enqueues_the_round_scoring_again(
    staff_user, review, assignment, django_capture_on_commit_callbacks, scoring_enqueued
):
    with django_capture_on_commit_callbacks(execute=True):
        reviews.unlock(review=review, by=staff_user, reason="Revisit.")

    assert scoring_enqueued == [assignment.application.round_id]


def test_unknown_reviews_are_not_found(client, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("reviews:review-unlock", args=[987654])).status_code == 404
