"""Results release: staff publish a round's results once; then each consortium sees its own application's result.

What applicants see (and why): the final score and how it was made (mean, normalized, bonus, consensus), whether
it reached the fundable line, its rank in the round and in its funding category (awards follow rank order, and
an applicant needs its place to decide whether to appeal), the mean points per criterion and every comment the
readers wrote. Never who read it: readers are "Reader 1..n" in an order that says nothing about them, and no
reader name, email or id reaches the page.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.programs.models import Criterion, Round
from grants.programs.published import published_parts

from ..models import ApplicationScore
from . import scoring

logger = logging.getLogger(__name__)
CENT = Decimal("0.01")


# Checks the apps above reviews add (grants.interviews: every finalist's interview is scored): each takes the round
# and returns what stops publication, in words.
_publication_checks: list = []


def add_publication_check(check) -> None:
    if check not in _publication_checks:
        _publication_checks.append(check)


def publication_problems(round_: Round) -> list[str]:
    """What stops publication now; empty when results may be published."""
    if round_.results_published_at is not None:
        return ["The results of this round are already published."]
    if not Application.objects.filter(round=round_, status=Application.Status.SUBMITTED).exists():
        return ["No application of this round is submitted."]
    return [problem for check in _publication_checks for problem in check(round_)]


def publication_warnings(round_: Round) -> list[str]:
    """What staff should know before publishing, from the last computation; none of it blocks publication."""
    scores = ApplicationScore.objects.filter(round=round_, application__status=Application.Status.SUBMITTED)
    short = scores.filter(readers__lt=round_.readers_per_application).count()
    flagged = scores.filter(flagged=True, consensus__isnull=True).count()
    warnings = []
    if short:
        warnings.append(
            f"{short} application(s) have fewer submitted reviews than the {round_.readers_per_application} needed."
        )
    if flagged:
        warnings.append(f"{flagged} application(s) are flagged for a discrepancy and have no consensus score.")
    return warnings


@transaction.atomic
def publish_results(*, round_: Round, by) -> Round:
    """Recompute the scores, then publish them, once.

    The round's row is locked, so a second click or a second person finds it already published; the scores are
    recomputed inside the same transaction, so what applicants see is what the reviews say at this moment. The
    change is kept in the round's history (who, when); each application's contacts get one email on commit.
    """
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if problems := publication_problems(locked):
        raise Refusal(" ".join(problems), problems=problems)
    scoring.score_round(round_id=locked.pk)
    locked.results_published_at = timezone.now()
    locked._history_user = by
    locked._change_reason = "Results published"
    locked.save(update_fields=["results_published_at"])
    round_.results_published_at = locked.results_published_at
    application_ids = list(
        Application.objects.filter(round=locked, status=Application.Status.SUBMITTED).values_list("pk", flat=True)
    )
    # robust: a mail server failure is logged; it must not turn a committed publication into an error page.
    transaction.on_commit(lambda: _email_contacts(locked, application_ids), robust=True)
    return locked


def _email_contacts(round_: Round, application_ids: list[int]) -> int:
    applications = (
        Application.objects.filter(pk__in=application_ids)
        .select_related("consortium")
        .prefetch_related("consortium__contacts__user")
        .order_by("number")
    )
    messages = []
    for application in applications:
        recipients = sorted({c.user.email.lower() for c in application.consortium.contacts.all() if c.user.is_active})
        if not recipients:
            continue
        context = {
            "application": application,
            "round": round_,
            "link": settings.SITE_URL + reverse("reviews:results", args=[application.pk]),
        }
        messages.append(
            EmailMessage(
                subject=f"Results published: {round_} (application {application.number})",
                body=render_to_string("reviews/emails/results_published.txt", context),
                to=recipients,
            )
        )
    sent = get_connection().send_messages(messages) or 0
    logger.info("Results of %s: %s email(s) sent", round_, sent)
    return sent


@dataclass
class CriterionResult:
    criterion: Criterion
    mean: Decimal | None
    comments: list[tuple[str, str]] = field(default_factory=list)  # (reader label, comment)


@dataclass
class Results:
    score: ApplicationScore | None
    maximum: Decimal
    ranked: int  # how many applications of the round have a rank
    ranked_in_category: int
    criteria: list[CriterionResult]
    overall_comments: list[tuple[str, str]]  # (reader label, comment)


def results_for(*, application: Application) -> Results:
    """What the results page shows: only counted reviews (those the score was made from), reader labels only.

    `application` with its score read with it (select_related("score")), or without one."""
    score = getattr(application, "score", None)
    criteria = published_parts(application.round).criteria
    rows = (
        scoring.counted_scores_of(application)
        .values_list("review_id", "criterion_id", "points", "comment", "review__overall_comment")
        .order_by("review_id", "criterion_id")
    )
    points: dict[int, list[Decimal]] = defaultdict(list)
    comments: dict[int, list[tuple[str, str]]] = defaultdict(list)
    overall: dict[int, str] = {}
    labels: dict[int, str] = {}
    for review_id, criterion_id, value, comment, overall_comment in rows:
        label = labels.setdefault(review_id, f"Reader {len(labels) + 1}")  # in review order: says nothing of who
        if value is not None:
            points[criterion_id].append(value)
        if comment.strip():
            comments[criterion_id].append((label, comment))
        if overall_comment.strip():
            overall[review_id] = overall_comment
    return Results(
        score=score,
        maximum=scoring.rubric_maximum_of(criteria),
        ranked=score.ranked_in_round if score else 0,
        ranked_in_category=score.ranked_in_category if score else 0,
        criteria=[
            CriterionResult(
                criterion=c,
                mean=(sum(points[c.pk], Decimal("0")) / len(points[c.pk])).quantize(CENT, rounding=ROUND_HALF_UP)
                if points[c.pk]
                else None,
                comments=comments[c.pk],
            )
            for c in criteria
        ],
        overall_comments=[(labels[pk], text) for pk, text in overall.items()],
    )
