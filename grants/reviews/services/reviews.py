"""The reader's side of review: attest or declare a conflict, score against the rubric, submit; staff unlock.

Every function locks the assignment row first, so that a double click, two open tabs or staff acting at the
same moment serialize instead of interleaving. The scoring of the round (services/scoring.py) is enqueued on
commit whenever the set of submitted reviews changes. A refusal's `errors` map a criterion id to
{"points": message, "comment": message} when single scores are at fault.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, F
from django.utils import timezone

from ccpt.background.services import later
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import Application
from grants.programs.models import Criterion

from ..models import Assignment, Conflict, Review, Score
from . import conflicts, rereading
from .scoring import in_conflict

CENTS = Decimal("0.01")


# Rules of one score, shared by the form (messages next to the field) and the service (the last word).


def example_points(maximum: Decimal) -> Decimal:
    """A whole score to show as an example: about seven tenths of the criterion's maximum, never above it."""
    whole = int(maximum * Decimal("0.7"))
    return Decimal(whole if whole >= 1 else int(maximum))


def _text(points: Decimal) -> str:
    return f"{points.normalize():f}"


def step_label(*, half_points: bool, maximum: Decimal) -> str:
    """How to write a score of a criterion worth `maximum`, with examples within it: "whole points (e.g. 7)"."""
    whole = example_points(maximum)
    if not half_points:
        return f"whole points (e.g. {_text(whole)})"
    # The half point above the example when the maximum allows it, else the one below (a maximum is at least 0.5).
    half = whole + Decimal("0.5") if whole + Decimal("0.5") <= maximum else whole - Decimal("0.5")
    low, high = sorted([whole, half])
    return f"whole or half points (e.g. {_text(low)} or {_text(high)})"


def parse_points(text: str, *, maximum: Decimal | None = None) -> Decimal:
    """The number typed into a score box; raises ValueError with a message when it is not one."""
    example = _text(example_points(maximum)) if maximum is not None else "7"
    try:
        points = Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError(f"Enter the score as a number, e.g. {example}.") from error
    if not points.is_finite():
        raise ValueError(f"Enter the score as a number, e.g. {example}.")
    return points


def points_problem(criterion: Criterion, points: Decimal, *, half_points: bool) -> str:
    """Why these points are not a valid score for the criterion; "" when they are."""
    if points < 0 or points > criterion.max_points:
        return f"Enter a score from 0 to {criterion.max_points.normalize():f}."
    step = Decimal("0.5") if half_points else Decimal("1")
    if points % step:
        return f"Use {step_label(half_points=half_points, maximum=criterion.max_points)}."
    return ""


def comment_threshold(criterion: Criterion, percent: Decimal) -> Decimal:
    return criterion.max_points * percent / 100


def comment_problem(criterion: Criterion, points: Decimal | None, comment: str, *, percent: Decimal) -> str:
    """Why a comment is needed before submitting; "" when none is (or it was given)."""
    if points is None or comment.strip():
        return ""
    threshold = comment_threshold(criterion, percent)
    if points < threshold:
        return (
            f"Explain this score: a comment is required for scores below {threshold.normalize():f} "
            f"({percent.normalize():f}% of the maximum)."
        )
    return ""


def weighted_total(pairs) -> Decimal:
    """Sum of points × weight over (criterion, points) pairs, to the cent; unscored criteria count nothing."""
    total = sum((points * criterion.weight for criterion, points in pairs if points is not None), Decimal("0"))
    return total.quantize(CENTS, rounding=ROUND_HALF_UP)


def apply_entries(*, criteria: dict, scores: dict, entries: dict, round_, submit: bool) -> dict[int, dict[str, str]]:
    """Put each entry's points and comment on the score of its criterion (scores: {criterion id: score}, one for
    every criterion) and return what is wrong, by criterion id and field: the one rule for a reading's scores and an
    interview's (grants.interviews). A submission needs every criterion scored and low scores explained."""
    errors: dict[int, dict[str, str]] = {}
    for pk, criterion in criteria.items():
        score, entry = scores[pk], entries.get(pk, {})
        if "points" in entry:
            points = entry["points"]
            if points is not None and (problem := points_problem(criterion, points, half_points=round_.half_points)):
                errors.setdefault(pk, {})["points"] = problem
            score.points = points
        if "comment" in entry:
            score.comment = entry["comment"].strip()
        if submit:
            if score.points is None:
                errors.setdefault(pk, {})["points"] = "Score this criterion before submitting."
            elif problem := comment_problem(
                criterion, score.points, score.comment, percent=round_.comment_required_below
            ):
                errors.setdefault(pk, {})["comment"] = problem
    return errors


# Reads


PROGRESS = {
    "conflict": "Conflict of interest: you cannot read it",
    "awaiting": "Awaiting attestation",
    "not_started": "Attested: not started",
    "draft": "Draft saved",
    "submitted": "Submitted",
}


def progress(assignment: Assignment, *, conflicted: bool) -> str:
    """Where the reader stands with one assignment: a key of PROGRESS."""
    if conflicted:
        return "conflict"
    if assignment.status == Assignment.Status.ASSIGNED:
        return "awaiting"
    review = getattr(assignment, "review", None)
    if review is None:
        return "not_started"
    return "submitted" if review.status == Review.Status.SUBMITTED else "draft"


QUEUE_FIELDS = [
    "status",
    "reader",
    "application__number",
    "application__title",
    "application__consortium__name",
    "application__round__name",
    "application__round__review_due_at",
    "due_at",
    "review__status",
]


def queue(*, reader) -> list[Assignment]:
    """The reader's active assignments across rounds, soonest due first, each with `.progress` and
    `.progress_label`; one query however many there are."""
    assignments = list(
        Assignment.objects.active()
        .filter(reader=reader)
        .select_related("application__consortium", "application__round", "review")
        # What the queue and the dashboard show of each row: a reader may have a hundred, and the rest of the
        # application, round and review (their long texts and settings) took most of the page's time to read.
        .only(*QUEUE_FIELDS)
        # Whether the reader is in conflict with each application today, in the same query (scoring.in_conflict,
        # the rule of services/conflicts.py in SQL).
        .annotate(conflicted=ExpressionWrapper(in_conflict(), output_field=BooleanField()))
        .with_due()  # an extension of the reader's own, else the round's date
        .order_by(F("due").asc(nulls_last=True), "application__number")
    )
    for assignment in assignments:
        assignment.progress = progress(assignment, conflicted=assignment.conflicted)
        assignment.progress_label = PROGRESS[assignment.progress]
    return assignments


# Workflows

SCORE_ROUND = "grants.reviews.tasks.score_round"
A = Assignment.Status


def _locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("application__round").get(pk=assignment.pk)


def _end(assignment: Assignment, *, by, reason: str) -> None:
    if assignment.status not in Assignment.ACTIVE:
        raise Refusal(f"This assignment is already {assignment.get_status_display().lower()}.")
    workflow.transition(
        assignment, A.DECLINED, by=by, reason=reason, changes={"ended_at": timezone.now(), "end_reason": reason}
    )


@transaction.atomic
def attest(*, assignment: Assignment, by) -> Assignment:
    """The reader confirms they have no conflict of interest; the application opens to them."""
    locked = _locked(assignment)
    authorize(by, "reviews.work_on_assignment", locked)
    if locked.status != A.ASSIGNED:
        raise Refusal(f"This assignment is {locked.get_status_display().lower()}; there is nothing to attest.")
    workflow.transition(
        locked, A.ACCEPTED, by=by, reason="No conflict of interest attested.", changes={"attested_at": timezone.now()}
    )
    return locked


@transaction.atomic
def declare_conflict(*, assignment: Assignment, by, reason: str) -> Conflict:
    """The reader declares a conflict with the consortium: recorded, and the assignment ends.

    Staff then see that the application needs another reader.
    """
    reason = require_reason(reason, "Describe the conflict of interest; it is kept in the record.")
    locked = _locked(assignment)
    authorize(by, "reviews.work_on_assignment", locked)
    _end(locked, by=by, reason=f"Conflict of interest declared: {reason}")
    return Conflict.objects.create(
        reader=by,
        consortium_id=locked.application.consortium_id,
        source=Conflict.Source.DECLARED,
        reason=reason,
        recorded_by=by,
    )


@transaction.atomic
def decline(*, assignment: Assignment, by) -> Assignment:
    """A reader whose conflict is already known (an affiliation, or recorded) gives the assignment back."""
    locked = _locked(assignment)
    authorize(by, "reviews.work_on_assignment", locked)
    found = conflicts.reasons(reader=by, application=locked.application)
    if not found and locked.status in Assignment.ACTIVE:
        raise Refusal("No conflict of interest is on record; declare one and say what it is.")
    _end(locked, by=by, reason="Conflict of interest: " + "; ".join(found))
    return locked


def _check_open(assignment: Assignment) -> None:
    application = assignment.application
    if application.status != Application.Status.SUBMITTED:
        raise Refusal(f"The application is {application.get_status_display().lower()}; it cannot be reviewed now.")
    if application.round.results_published_at is not None:
        since = rereading.reopened_at(application)
        # A re-opened application takes the reviews of its new readers only; the original ones stay as published.
        if since is None or assignment.assigned_at < since:
            raise Refusal("The round's results are published; reviews can no longer change.")


@transaction.atomic
def save_review(*, assignment: Assignment, by, data: dict, submit: bool) -> Review:
    """Save the reader's scores as a draft, or submit them (then the review is locked).

    data: {"overall_comment": str (optional), "scores": {criterion_id: {"points": Decimal | None, "comment": str}}};
    a criterion or a key left out keeps what was saved before. A draft may be incomplete; a submission needs
    every criterion scored and a comment on every score below the round's threshold.
    """
    locked = _locked(assignment)
    authorize(by, "reviews.work_on_assignment", locked)
    if locked.status != A.ACCEPTED:
        raise Refusal("Attest that you have no conflict of interest before scoring.")
    authorize(by, "reviews.score_assignment", locked)  # a conflict found since attesting
    _check_open(locked)
    round_ = locked.application.round
    review, _ = Review.objects.select_for_update().get_or_create(assignment=locked)
    if review.status == Review.Status.SUBMITTED:
        raise Refusal("This review was submitted and is locked. Program staff can unlock it if it must change.")

    criteria = {c.pk: c for c in round_.criteria.all()}
    entries = data.get("scores", {})
    unknown = set(entries) - set(criteria)
    if unknown:
        raise Refusal("Some scores are for criteria that are not in this round's rubric.")
    scores = {s.criterion_id: s for s in review.scores.all()}
    before = {pk: (s.points, s.comment) for pk, s in scores.items()}
    new = {pk: Score(review=review, criterion=c) for pk, c in criteria.items() if pk not in scores}
    errors = apply_entries(criteria=criteria, scores=scores | new, entries=entries, round_=round_, submit=submit)
    scores |= new
    if errors:
        raise Refusal(
            "Your review was not submitted: correct the marked scores." if submit else "Correct the marked scores.",
            errors=errors,
        )

    for pk, score in scores.items():
        # Saving only what changed keeps the history to real versions of each score.
        if before.get(pk) != (score.points, score.comment) and (score.pk or score.points is not None or score.comment):
            score.save()
    if "overall_comment" in data:
        review.overall_comment = data["overall_comment"].strip()
    if not submit:
        review.save()
        return review
    # One save, so that the review's history holds one version per submission.
    changes = {
        "overall_comment": review.overall_comment,
        "submitted_at": timezone.now(),
        "total": weighted_total((criteria[pk], s.points) for pk, s in scores.items()),
    }
    workflow.transition(review, Review.Status.SUBMITTED, by=by, changes=changes)
    later(SCORE_ROUND, round_.pk)
    return review


@transaction.atomic
def unlock(*, review: Review, by, reason: str) -> Review:
    """Staff return a submitted review to its reader as a draft, saying why; every version stays in history."""
    authorize(by, "reviews.unlock_review", review)
    reason = require_reason(reason, "Give a reason for unlocking the review; it is kept in the record.")
    locked = _locked(review.assignment)
    review = Review.objects.select_for_update().select_related("assignment__application__round").get(pk=review.pk)
    if review.status != Review.Status.SUBMITTED:
        raise Refusal("This review is not submitted; there is nothing to unlock.")
    workflow.transition(
        review, Review.Status.DRAFT, by=by, reason=reason, changes={"submitted_at": None, "total": None}
    )
    later(SCORE_ROUND, locked.application.round_id)
    return review
