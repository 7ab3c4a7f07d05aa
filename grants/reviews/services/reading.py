"""The reader's side of review: attest or declare a conflict, score against the rubric, submit; staff unlock.

Every function locks the assignment row first, so that a double click, two open tabs or staff acting at the
same moment serialize instead of interleaving. The scoring of the round (grants.services.scoring) is enqueued
on commit whenever the set of submitted reviews changes.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import partial

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from grants.applications.models import Application
from grants.models import StatusChange
from grants.programs.models import Criterion

from ..models import Assignment, Conflict, Review, Score
from . import conflicts

CENTS = Decimal("0.01")


class ReviewError(Exception):
    """What cannot be done now, in words for the person who asked.

    `errors` maps a criterion id to {"points": message, "comment": message} when single entries are at fault.
    """

    def __init__(self, message: str, errors: dict[int, dict[str, str]] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


# Rules of one score, shared by the form (messages next to the field) and the service (the last word).


def step_label(*, half_points: bool) -> str:
    return "whole or half points (e.g. 12 or 12.5)" if half_points else "whole points (e.g. 12)"


def parse_points(text: str) -> Decimal:
    """The number typed into a score box; raises ValueError with a message when it is not one."""
    try:
        points = Decimal(text.strip())
    except InvalidOperation as error:
        raise ValueError("Enter the score as a number, e.g. 12.") from error
    if not points.is_finite():
        raise ValueError("Enter the score as a number, e.g. 12.")
    return points


def points_problem(criterion: Criterion, points: Decimal, *, half_points: bool) -> str:
    """Why these points are not a valid score for the criterion; "" when they are."""
    if points < 0 or points > criterion.max_points:
        return f"Enter a score from 0 to {criterion.max_points.normalize():f}."
    step = Decimal("0.5") if half_points else Decimal("1")
    if points % step:
        return f"Use {step_label(half_points=half_points)}."
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


def queue(*, reviewer) -> list[Assignment]:
    """The reader's active assignments across rounds, soonest due first, each with `.progress` and
    `.progress_label`; a fixed number of queries however many there are."""
    assignments = list(
        Assignment.objects.active()
        .filter(reviewer=reviewer)
        .select_related("application__consortium", "application__round", "review")
        .order_by(F("application__round__review_due_at").asc(nulls_last=True), "application__number")
    )
    pairs = {}
    if assignments:
        applications = Application.objects.filter(pk__in=[a.application_id for a in assignments])
        pairs = conflicts.conflicted_pairs(applications=applications, reviewer_ids=[reviewer.pk])
    for assignment in assignments:
        assignment.progress = progress(assignment, conflicted=(reviewer.pk, assignment.application_id) in pairs)
        assignment.progress_label = PROGRESS[assignment.progress]
    return assignments


# Workflows


def _enqueue_scoring(round_id: int) -> None:
    from .. import tasks

    tasks.score_round.delay(round_id)


def _locked(assignment: Assignment) -> Assignment:
    return Assignment.objects.select_for_update().select_related("application__round").get(pk=assignment.pk)


def _record(subject, source: str, target: str, by, reason: str = "") -> None:
    StatusChange.objects.create(subject=subject, from_status=source, to_status=target, by=by, reason=reason)


def _own(assignment: Assignment, by) -> None:
    if assignment.reviewer_id != by.pk:
        raise PermissionDenied


def _end(assignment: Assignment, *, by, reason: str) -> None:
    source = assignment.status
    assignment.status = Assignment.Status.DECLINED
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment.save(update_fields=["status", "ended_at", "end_reason"])
    _record(assignment, source, assignment.status, by, reason)


@transaction.atomic
def attest(*, assignment: Assignment, by) -> Assignment:
    """The reader confirms they have no conflict of interest; the application opens to them."""
    locked = _locked(assignment)
    _own(locked, by)
    if locked.status != Assignment.Status.ASSIGNED:
        raise ReviewError(f"This assignment is {locked.get_status_display().lower()}; there is nothing to attest.")
    if conflicts.has_conflict(reviewer=by, application=locked.application):
        raise ReviewError("You have a conflict of interest with this application and cannot read it.")
    locked.status = Assignment.Status.ACCEPTED
    locked.attested_at = timezone.now()
    locked.save(update_fields=["status", "attested_at"])
    _record(locked, Assignment.Status.ASSIGNED, locked.status, by, "No conflict of interest attested.")
    return locked


def _may_step_back(assignment: Assignment) -> None:
    if assignment.status not in Assignment.ACTIVE:
        raise ReviewError(f"This assignment is already {assignment.get_status_display().lower()}.")
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == Review.Status.SUBMITTED:
        raise ReviewError(
            "You have submitted this review. Ask program staff to record the conflict; they will remove the review."
        )


@transaction.atomic
def declare_conflict(*, assignment: Assignment, by, reason: str) -> Conflict:
    """The reader declares a conflict with the consortium: recorded, and the assignment ends.

    Staff then see that the application needs another reader.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Describe the conflict of interest; it is kept in the record.")
    locked = _locked(assignment)
    _own(locked, by)
    _may_step_back(locked)
    application = locked.application
    conflict = Conflict.objects.create(
        reviewer=by,
        consortium_id=application.consortium_id,
        source=Conflict.Source.DECLARED,
        reason=reason,
        recorded_by=by,
    )
    _end(locked, by=by, reason=f"Conflict of interest declared: {reason}")
    return conflict


@transaction.atomic
def decline(*, assignment: Assignment, by) -> Assignment:
    """A reader whose conflict is already known (an affiliation, or recorded) gives the assignment back."""
    locked = _locked(assignment)
    _own(locked, by)
    _may_step_back(locked)
    found = conflicts.reasons(reviewer=by, application=locked.application)
    if not found:
        raise ReviewError("No conflict of interest is on record; declare one and say what it is.")
    _end(locked, by=by, reason="Conflict of interest: " + "; ".join(found))
    return locked


def _check_open(assignment: Assignment) -> None:
    application = assignment.application
    if application.status != Application.Status.SUBMITTED:
        raise ReviewError(f"The application is {application.get_status_display().lower()}; it cannot be reviewed now.")
    if application.round.results_published_at is not None:
        raise ReviewError("The round's results are published; reviews can no longer change.")


@transaction.atomic
def save_review(*, assignment: Assignment, by, data: dict, submit: bool) -> Review:
    """Save the reader's scores as a draft, or submit them (then the review is locked).

    data: {"overall_comment": str (optional), "scores": {criterion_id: {"points": Decimal | None, "comment": str}}};
    a criterion or a key left out keeps what was saved before. A draft may be incomplete; a submission needs
    every criterion scored and a comment on every score below the round's threshold.
    """
    locked = _locked(assignment)
    _own(locked, by)
    if locked.status != Assignment.Status.ACCEPTED:
        raise ReviewError("Attest that you have no conflict of interest before scoring.")
    if conflicts.has_conflict(reviewer=by, application=locked.application):
        raise PermissionDenied
    _check_open(locked)
    round_ = locked.application.round
    review, _ = Review.objects.select_for_update().get_or_create(assignment=locked)
    if review.status == Review.Status.SUBMITTED:
        raise ReviewError("This review was submitted and is locked. Program staff can unlock it if it must change.")

    criteria = {c.pk: c for c in round_.criteria.all()}
    entries = data.get("scores", {})
    unknown = set(entries) - set(criteria)
    if unknown:
        raise ReviewError("Some scores are for criteria that are not in this round's rubric.")
    scores = {s.criterion_id: s for s in review.scores.all()}
    before = {pk: (s.points, s.comment) for pk, s in scores.items()}
    errors: dict[int, dict[str, str]] = {}
    for pk, criterion in criteria.items():
        score = scores.get(pk) or Score(review=review, criterion=criterion)
        scores[pk] = score
        entry = entries.get(pk, {})
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
    if errors:
        raise ReviewError(
            "Your review was not submitted: correct the marked scores." if submit else "Correct the marked scores.",
            errors,
        )

    for pk, score in scores.items():
        # Saving only what changed keeps the history to real versions of each score.
        if before.get(pk) != (score.points, score.comment) and (score.pk or score.points is not None or score.comment):
            score.save()
    if "overall_comment" in data:
        review.overall_comment = data["overall_comment"].strip()
    if submit:
        review.status = Review.Status.SUBMITTED
        review.submitted_at = timezone.now()
        review.total = weighted_total((criteria[pk], s.points) for pk, s in scores.items())
        _record(review, Review.Status.DRAFT, Review.Status.SUBMITTED, by)
        transaction.on_commit(partial(_enqueue_scoring, round_.pk))
    review.save()
    return review


@transaction.atomic
def unlock(*, review: Review, by, reason: str) -> Review:
    """Staff return a submitted review to its reader as a draft, saying why; every version stays in history."""
    if not by.is_program_staff:
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError("Give a reason for unlocking the review; it is kept in the record.")
    locked = _locked(review.assignment)
    review = Review.objects.select_for_update().get(pk=review.pk)
    if review.status != Review.Status.SUBMITTED:
        raise ReviewError("This review is not submitted; there is nothing to unlock.")
    if locked.application.round.results_published_at is not None:
        raise ReviewError("The round's results are published; reviews can no longer change.")
    review.status = Review.Status.DRAFT
    review.submitted_at = None
    review.total = None
    review.save()
    _record(review, Review.Status.SUBMITTED, Review.Status.DRAFT, by, reason)
    transaction.on_commit(partial(_enqueue_scoring, locked.application.round_id))
    return review
