"""The life of an assignment and of a review, declared to the workflow engine.

An assignment is assigned, then attested (no conflict) or declined (a conflict), or removed by staff; a review is a
draft until its reader submits it, and staff may unlock it again (with a reason) until results are published.
"""

from grants import workflow
from grants.workflow import Transition

from .models import Assignment, Review
from .services.conflicts import reasons

S = Assignment.Status
R = Review.Status


def _free_of_conflict(assignment: Assignment) -> list[str]:
    if reasons(reader=assignment.reader, application=assignment.application):
        return ["You have a conflict of interest with this application and cannot read it."]
    return []


def _review_not_submitted(assignment: Assignment) -> list[str]:
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == R.SUBMITTED:
        return [
            "You have submitted this review. Ask program staff to record the conflict; they will remove the review."
        ]
    return []


def _results_not_published(review: Review) -> list[str]:
    if review.assignment.application.round.results_published_at is not None:
        return ["The round's results are published; reviews can no longer change."]
    return []


workflow.declare(
    Assignment,
    [
        Transition(
            S.ASSIGNED,
            S.ACCEPTED,
            "Attest: no conflict of interest",
            rule="reviews.attest_assignment",
            guard=_free_of_conflict,
        ),
        Transition(
            (S.ASSIGNED, S.ACCEPTED),
            S.DECLINED,
            "Decline: a conflict of interest",
            rule="reviews.decline_assignment",
            needs_reason=True,
            guard=_review_not_submitted,
        ),
        Transition(
            (S.ASSIGNED, S.ACCEPTED),
            S.REMOVED,
            "Remove the reader",
            rule="reviews.manage_assignments",
            needs_reason=True,
        ),
    ],
)

workflow.declare(
    Review,
    [
        Transition(R.DRAFT, R.SUBMITTED, "Submit the review", rule="reviews.submit_review"),
        Transition(
            R.SUBMITTED,
            R.DRAFT,
            "Unlock the review",
            rule="reviews.unlock_review",
            needs_reason=True,
            guard=_results_not_published,
        ),
    ],
)
