"""A new reading of one application after its round's results are published (an upheld appeal, grants.appeals).

Once results are published, review changes nothing (assignment, reviews, scoring). An app above reviews may re-open
one application: it registers a check with add_reopen_check(check), check(application) -> the moment the
application was re-opened, or None. While an application is re-opened:
- staff may assign it new readers (assignment.assign); its original readers (anyone assigned to it before it was
  re-opened) are refused, because a re-reading is independent of the reading appealed;
- those new readers attest and score it as any reader does; the original reviews stay as they were;
- rescore() computes its re-read score, and the app that re-opened it records the result and closes the re-reading.

How the re-read score is made (rescore): the counted reviews (the rule of scoring.counted_reviews) of readers
assigned after the re-opening only; final = their mean total, within [0, rubric maximum], plus the bonus of the
competitive priorities staff confirmed. The new readers read this one application only, so no severity can be
taken out of their totals: score_round uses a one-review reader's total as it is, and so does this, whether the
round ranks by the mean or the normalized score. A consensus recorded for the original readers does not apply.
fundable = final >= the round's minimum fundable score. Its rank is its place among the published scores of the
round's other applications: 1 + how many of them have a higher final, ties placed after the published ones. The
other applications' published scores and ranks are not changed (their applicants were told them): below the
re-read application, two applications may then show the same rank number, which the appeal page says.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from grants.applications.models import Application
from grants.programs.models import CompetitivePriority

from ..models import ApplicationScore, Assignment, PriorityClaim, Review
from .scoring import ZERO, counted_reviews, q, rubric_maximum

_checks: list[Callable[[Application], datetime | None]] = []


def add_reopen_check(check: Callable[[Application], datetime | None]) -> None:
    """check(application) -> when it was re-opened after publication, or None; asked before review refuses."""
    if check not in _checks:
        _checks.append(check)


def reopened_at(application: Application) -> datetime | None:
    """When the application was re-opened for a new reading after publication; None when it is not (now)."""
    for check in _checks:
        if (when := check(application)) is not None:
            return when
    return None


def frozen(application: Application) -> bool:
    """The round's results are published and the application is not re-opened: review changes nothing."""
    return application.round.results_published_at is not None and reopened_at(application) is None


def original_readers(application: Application, since: datetime) -> set[int]:
    """Ids of everyone assigned to the application before it was re-opened (whatever became of the assignment)."""
    return set(
        Assignment.objects.filter(application=application, assigned_at__lt=since).values_list("reader_id", flat=True)
    )


def new_assignments(application: Application, since: datetime):
    return Assignment.objects.filter(application=application, assigned_at__gte=since)


@dataclass(frozen=True)
class Rescore:
    readers: int
    mean: Decimal
    final: Decimal
    fundable: bool
    rank: int
    ranked_in_round: int  # the other ranked applications and this one
    previous_final: Decimal | None
    previous_rank: int | None


def rescore(*, application: Application, since: datetime) -> Rescore | None:
    """The re-read score of the application from the readings made since `since` (see the module docstring); None
    when no new reading counts yet. Writes nothing."""
    new = set(Review.objects.filter(assignment__in=new_assignments(application, since)).values_list("pk", flat=True))
    totals = [t.total for t in counted_reviews(Application.objects.filter(pk=application.pk)) if t.review_id in new]
    if not totals:
        return None
    round_ = application.round
    mean = sum(totals, ZERO) / len(totals)
    bonus = sum(
        PriorityClaim.objects.filter(application=application, priority__use=CompetitivePriority.Use.BONUS).values_list(
            "priority__bonus_points", flat=True
        ),
        ZERO,
    )
    final = q(min(max(mean, ZERO), rubric_maximum(round_.pk)) + bonus)
    others = ApplicationScore.objects.filter(round=round_, rank__isnull=False).exclude(application=application)
    previous = ApplicationScore.objects.filter(application=application).first()
    return Rescore(
        readers=len(totals),
        mean=q(mean),
        final=final,
        fundable=final >= round_.minimum_fundable_score,
        rank=1 + others.filter(final__gt=final).count(),
        ranked_in_round=others.count() + 1,
        previous_final=previous.final if previous else None,
        previous_rank=previous.rank if previous else None,
    )
