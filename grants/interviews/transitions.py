"""An interview review's and a slot request's lives, declared to the workflow engine.

A panel member's interview review is a draft until they submit it, and staff may unlock it (with a reason) until the
round's results are published. A finalist's request for another slot is open until staff move the interview
(moved) or keep the slot with an answer (declined).
"""

from grants import workflow
from grants.workflow import Transition

from .models import InterviewReview, SlotRequest

R = InterviewReview.Status
Q = SlotRequest.Status


def _results_not_published(review: InterviewReview) -> list[str]:
    if review.interview.panel.round.results_published_at is not None:
        return ["The round's results are published; interview scores can no longer change."]
    return []


workflow.declare(
    InterviewReview,
    [
        Transition(R.DRAFT, R.SUBMITTED, "Submit the interview scores", rule="interviews.score_interview"),
        Transition(
            R.SUBMITTED,
            R.DRAFT,
            "Unlock the interview scores",
            rule="interviews.unlock_interview_review",
            needs_reason=True,
            guard=_results_not_published,
        ),
    ],
)

workflow.declare(
    SlotRequest,
    [
        Transition(Q.OPEN, Q.MOVED, "Move the interview", rule="interviews.answer_slot_request"),
        Transition(Q.OPEN, Q.DECLINED, "Keep the slot", rule="interviews.answer_slot_request", needs_reason=True),
    ],
)
