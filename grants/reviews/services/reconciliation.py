"""Reconciliation: what staff do when an application's readers disagree, and the competitive priorities it claims.

Every action is recorded as a Reconciliation (who, when, why); unlocking goes through the reader's workspace's
unlock (services/reviews.py), which records each review's status change; a further reader is assigned through
services/assignment.py (conflict-checked). Any change that can move a score enqueues the round's scoring on
commit. Once a round's results are published, its scores are frozen: these actions are refused.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse

from ccpt.background.services import later
from ccpt.lib.refusal import Refusal, require_reason
from grants.applications.models import Application
from grants.programs.models import Criterion

from ..models import Assignment, PriorityClaim, Reconciliation, Review, Score
from . import assignment as assignments
from . import board, reviews, scoring

A = Reconciliation.Action
logger = logging.getLogger(__name__)


def _lock(application: Application) -> Application:
    locked = Application.objects.select_for_update().select_related("round").get(pk=application.pk)
    if locked.round.results_published_at is not None:
        raise Refusal("The round's results are published; its scores can no longer change.")
    return locked


def _reason(reason: str) -> str:
    return require_reason(reason, "Give a reason; it is kept in the record.")


# ---- Reads --------------------------------------------------------------------------------------------------


@dataclass
class Reading:
    """One reader's column on the reconciliation page."""

    label: str  # "Reader 1"
    assignment: Assignment
    review: Review | None
    scores: dict[int, Score] = field(default_factory=dict)  # criterion id -> score
    total: Decimal | None = None

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.status == Review.Status.SUBMITTED


@dataclass
class SideBySide:
    criteria: list[Criterion]
    readings: list[Reading]

    def rows(self):
        """(criterion, [score or None per reading]) for the table."""
        for criterion in self.criteria:
            yield criterion, [reading.scores.get(criterion.pk) for reading in self.readings]


def side_by_side(*, application: Application) -> SideBySide:
    """The active readers' scores per criterion, labelled Reader 1..n in the order they were assigned."""
    criteria = list(application.round.criteria.order_by("position", "pk"))
    active = list(
        Assignment.objects.active()
        .filter(application=application)
        .select_related("reader", "review")
        .order_by("assigned_at", "pk")
    )
    readings = []
    for number, item in enumerate(active, start=1):
        review = getattr(item, "review", None) if _has_review(item) else None
        readings.append(Reading(label=f"Reader {number}", assignment=item, review=review))
    by_review = {r.review.pk: r for r in readings if r.review is not None}
    for score in Score.objects.filter(review_id__in=by_review).select_related("criterion"):
        by_review[score.review_id].scores[score.criterion_id] = score
    for reading in readings:
        if reading.scores:
            reading.total = sum(
                (s.points * s.criterion.weight for s in reading.scores.values() if s.points is not None),
                Decimal("0"),
            )
    return SideBySide(criteria=criteria, readings=readings)


def _has_review(item: Assignment) -> bool:
    try:
        item.review  # noqa: B018 - select_related fills it or raises
    except Review.DoesNotExist:
        return False
    return True


def history(*, application: Application):
    return Reconciliation.objects.filter(application=application).select_related("by").order_by("-at", "-pk")


def current_consensus(*, application: Application, history=None) -> Reconciliation | None:
    """`history`: the application's history(), newest first, when the caller has read it already."""
    if history is not None:
        latest = next((record for record in history if record.action in (A.CONSENSUS, A.CLEARED)), None)
    else:
        latest = (
            Reconciliation.objects.filter(application=application, action__in=[A.CONSENSUS, A.CLEARED])
            .order_by("-at", "-pk")
            .first()
        )
    return latest if latest is not None and latest.action == A.CONSENSUS else None


def eligible_readers(*, application: Application) -> list:
    """Readers who could be added: free of conflict and not already reading or declined (assignment service)."""
    eligible, _ = board.eligible_readers(application=application)
    return eligible


# ---- Actions ------------------------------------------------------------------------------------------------


@transaction.atomic
def ask_to_revisit(*, application: Application, reviews_to_reopen: list[Review], by, reason: str) -> Reconciliation:
    """Return the chosen readers' submitted reviews to them as drafts, with the reason, and email them."""
    reason = _reason(reason)
    application = _lock(application)
    if not reviews_to_reopen:
        raise Refusal("Choose at least one reader to ask.")
    readers = []
    for review in reviews_to_reopen:
        if review.assignment.application_id != application.pk:
            raise Refusal("That review is not of this application.")
        reviews.unlock(review=review, by=by, reason=f"Asked to revisit: {reason}")
        readers.append(review.assignment.reader)
    record = Reconciliation.objects.create(application=application, action=A.REVISIT, reason=reason, by=by)
    transaction.on_commit(lambda: _email_revisit(application, readers, reason), robust=True)
    return record


def _email_revisit(application: Application, readers, reason: str) -> None:
    link = settings.SITE_URL + reverse("reviews:reviews")
    messages = [
        EmailMessage(
            subject=f"Please revisit your review of {application.number}",
            body=render_to_string(
                "reviews/emails/revisit.txt",
                {"application": application, "reader": reader, "reason": reason, "link": link},
            ),
            to=[reader.email],
        )
        for reader in readers
    ]
    get_connection().send_messages(messages)


@transaction.atomic
def add_reader(*, application: Application, reader, by, reason: str) -> Assignment:
    """Ask a further reader (conflict-checked by the assignment service, which also emails them)."""
    reason = _reason(reason)
    application = _lock(application)
    added = assignments.assign(application=application, reader=reader, by=by)
    Reconciliation.objects.create(application=application, action=A.EXTRA_READER, reason=f"{reader}: {reason}", by=by)
    return added


@transaction.atomic
def record_consensus(*, application: Application, total: Decimal, by, reason: str) -> Reconciliation:
    """Staff record the score the readers agreed on; it replaces the readers' score until cleared."""
    reason = _reason(reason)
    application = _lock(application)
    maximum = scoring.rubric_maximum(application.round_id)
    if total is None or total < 0 or total > maximum:
        raise Refusal(f"Enter a total from 0 to {maximum.normalize():f}.")
    record = Reconciliation.objects.create(
        application=application, action=A.CONSENSUS, consensus_total=scoring.q(total), reason=reason, by=by
    )
    later(reviews.SCORE_ROUND, application.round_id)
    return record


@transaction.atomic
def clear_consensus(*, application: Application, by, reason: str) -> Reconciliation:
    reason = _reason(reason)
    application = _lock(application)
    if current_consensus(application=application) is None:
        raise Refusal("There is no consensus score to clear.")
    record = Reconciliation.objects.create(application=application, action=A.CLEARED, reason=reason, by=by)
    later(reviews.SCORE_ROUND, application.round_id)
    return record


@transaction.atomic
def confirm_priorities(*, application: Application, priorities, by) -> tuple[list, list]:
    """Make the confirmed competitive priorities exactly `priorities`; returns (added, removed) priorities.

    A new claim records who confirmed it and when; a withdrawn one is deleted.
    """
    application = _lock(application)
    wanted = {p.pk: p for p in priorities}
    if any(p.round_id != application.round_id for p in wanted.values()):
        raise Refusal("Choose priorities of this application's round.")
    existing = {
        c.priority_id: c for c in PriorityClaim.objects.filter(application=application).select_related("priority")
    }
    added = [p for pk, p in wanted.items() if pk not in existing]
    removed = [c.priority for pk, c in existing.items() if pk not in wanted]
    PriorityClaim.objects.filter(application=application, priority_id__in=[p.pk for p in removed]).delete()
    PriorityClaim.objects.bulk_create(
        [PriorityClaim(application=application, priority=p, confirmed_by=by) for p in added]
    )
    if added or removed:
        # A withdrawn claim leaves no row behind (PriorityClaim keeps no history), so the log says who withdrew it.
        for priority in removed:
            logger.info("%s withdrew priority %r from %s", by, priority.name, application.number)
        later(reviews.SCORE_ROUND, application.round_id)
    return added, removed
