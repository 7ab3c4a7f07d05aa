"""Panel members score interviews against the round's interview rubric, as readers score applications: a draft may
be incomplete, a submission needs every criterion scored and a comment on every low score (the round's reading
thresholds), and staff may unlock a submitted one with a reason until results are published. Every submission and
unlock rescores the round (the interview counts in its ranking: services/ranking.py)."""

from django.db import transaction
from django.utils import timezone

from ccpt.background.services import later
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.reviews.services.reviews import apply_entries, weighted_total

from ..models import Interview, InterviewCriterion, InterviewReview, InterviewScore
from .setup import SCORE_ROUND

R = InterviewReview.Status


def review_of(*, interview: Interview, member) -> InterviewReview | None:
    return InterviewReview.objects.filter(interview=interview, member=member).prefetch_related("scores").first()


@transaction.atomic
def save_review(*, interview: Interview, by, data: dict, submit: bool) -> InterviewReview:
    """Save the member's interview scores as a draft, or submit them (then they are locked).

    data: {"overall_comment": str, "scores": {criterion_id: {"points": Decimal | None, "comment": str}}}.
    """
    interview = (
        Interview.objects.select_for_update()
        .select_related("panel__round", "finalist__application")
        .get(pk=interview.pk)
    )
    authorize(by, "interviews.score_interview", interview)
    round_ = interview.panel.round
    if round_.results_published_at is not None:
        raise Refusal("The round's results are published; interview scores can no longer change.")
    if interview.starts_at > timezone.now():
        raise Refusal("The interview has not begun: score it once it has taken place.")
    review, _ = InterviewReview.objects.select_for_update().get_or_create(interview=interview, member=by)
    if review.status == R.SUBMITTED:
        raise Refusal("You submitted these scores and they are locked. Program staff can unlock them.")
    criteria = {c.pk: c for c in InterviewCriterion.objects.filter(round=round_)}
    if not criteria:
        raise Refusal("The round's interview rubric has no criteria yet: ask an administrator to add them.")
    entries = data.get("scores", {})
    if set(entries) - set(criteria):
        raise Refusal("Some scores are for criteria that are not in this round's interview rubric.")
    scores = {s.criterion_id: s for s in review.scores.all()}
    for pk, criterion in criteria.items():
        scores.setdefault(pk, InterviewScore(review=review, criterion=criterion))
    errors = apply_entries(criteria=criteria, scores=scores, entries=entries, round_=round_, submit=submit)
    if errors:
        raise Refusal(
            "Your scores were not submitted: correct the marked scores." if submit else "Correct the marked scores.",
            errors=errors,
        )
    for score in scores.values():
        if score.pk or score.points is not None or score.comment:
            score.save()
    if "overall_comment" in data:
        review.overall_comment = data["overall_comment"].strip()
    if not submit:
        review.save()
        return review
    changes = {
        "overall_comment": review.overall_comment,
        "submitted_at": timezone.now(),
        "total": weighted_total((criteria[pk], s.points) for pk, s in scores.items()),
    }
    workflow.transition(review, R.SUBMITTED, by=by, changes=changes)
    later(SCORE_ROUND, round_.pk)
    return review


@transaction.atomic
def unlock(*, review: InterviewReview, by, reason: str) -> InterviewReview:
    """Staff return submitted interview scores to their panel member as a draft, saying why."""
    reason = require_reason(reason, "Give a reason for unlocking the scores; it is kept in the record.")
    review = InterviewReview.objects.select_related("interview__panel__round").get(pk=review.pk)
    workflow.transition(review, R.DRAFT, by=by, reason=reason, changes={"submitted_at": None, "total": None})
    later(SCORE_ROUND, review.interview.panel.round_id)
    return review
