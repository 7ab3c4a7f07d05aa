"""Panel members score interviews: drafts may be incomplete, submission needs every criterion, not before the
interview nor after results are published; staff unlock with a reason; the round is rescored."""

from decimal import Decimal

import pytest
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from grants.interviews.models import InterviewCriterion, InterviewReview
from grants.interviews.services import scoring
from grants.reviews.models import ApplicationScore
from tests.factories import UserFactory

from .setup import held_interview, interview_round, panel_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def held():
    round_, (a, _, _) = interview_round()
    member = UserFactory(role="Readers")
    return held_interview(a, panel_of(round_, member)), member


def points(interview, value, comment=""):
    criterion = InterviewCriterion.objects.get(round=interview.panel.round)
    return {"scores": {criterion.pk: {"points": value, "comment": comment}}, "overall_comment": "Clear plan."}


def test_a_draft_saves_incomplete_and_a_submission_needs_every_score(held):
    interview, member = held

    draft = scoring.save_review(interview=interview, by=member, data=points(interview, None), submit=False)
    with pytest.raises(Refusal) as refused:
        scoring.save_review(interview=interview, by=member, data=points(interview, None), submit=True)

    assert draft.status == "draft"
    assert "Score this criterion before submitting." in str(refused.value.errors)


def test_submitting_scores_counts_them_in_the_round(held, django_capture_on_commit_callbacks):
    interview, member = held

    with django_capture_on_commit_callbacks(execute=True):
        review = scoring.save_review(interview=interview, by=member, data=points(interview, Decimal("45")), submit=True)

    assert (review.status, review.total) == ("submitted", Decimal("45.00"))
    score = ApplicationScore.objects.get(application=interview.finalist.application)
    assert score.interview == Decimal("90.00")  # the task rescored the round on commit (tasks run in-process)


def test_an_interview_is_not_scored_before_it_begins(held):
    interview, member = held
    interview.starts_at = timezone.now() + timezone.timedelta(hours=1)
    interview.save()

    with pytest.raises(Refusal, match="has not begun"):
        scoring.save_review(interview=interview, by=member, data=points(interview, Decimal("40")), submit=False)


def test_scores_are_frozen_once_results_are_published(held):
    interview, member = held
    round_ = interview.panel.round
    round_.results_published_at = timezone.now()
    round_.save()

    with pytest.raises(Refusal, match="published"):
        scoring.save_review(interview=interview, by=member, data=points(interview, Decimal("40")), submit=False)


def test_a_low_score_needs_a_comment(held):
    interview, member = held

    with pytest.raises(Refusal) as refused:
        scoring.save_review(interview=interview, by=member, data=points(interview, Decimal("5")), submit=True)

    assert "comment" in str(refused.value.errors)


def test_staff_unlock_submitted_scores_with_a_reason(held, staff_user, django_capture_on_commit_callbacks):
    interview, member = held
    review = scoring.save_review(interview=interview, by=member, data=points(interview, Decimal("45")), submit=True)

    with pytest.raises(Refusal, match="reason"):
        scoring.unlock(review=review, by=staff_user, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        scoring.unlock(review=review, by=staff_user, reason="Scored the wrong finalist")

    assert InterviewReview.objects.get(pk=review.pk).status == "draft"
    assert ApplicationScore.objects.get(application=interview.finalist.application).interview is None
