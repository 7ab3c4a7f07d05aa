"""Reads of a round's computed scores for the ranked list and the score dashboard: the ranked rows, readers'
and applications' progress, whether scores are out of date, and the charts' figures."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, DecimalField, Exists, F, Max, Q

from grants.applications.models import Application, long_texts
from grants.programs.models import CompetitivePriority, Round

from ..models import ApplicationScore, Assignment, PriorityClaim, Reconciliation, Review
from .scoring import ZERO, q, rubric_maximum


def ranked_rows(round_: Round):
    """The round's computed scores, ranked first (by rank), then the unranked by number; one query per page."""
    return (
        ApplicationScore.objects.filter(round=round_, application__status=Application.Status.SUBMITTED)
        .select_related("application__consortium__region", "application__category")
        .defer(*long_texts("application__"))
        .order_by(F("rank").asc(nulls_last=True), "application__number")
    )


@dataclass
class ReaderProgress:
    """The round's readers by how far they are: how many have every active review submitted, and those with most
    left to do (ids and counts; the page reads their names)."""

    readers: int = 0
    finished: int = 0  # every active assignment's review submitted
    behind: list[dict] = field(default_factory=list)  # most reviews left first: reader_id, assigned, attested, ...

    @property
    def outstanding(self) -> int:
        return self.readers - self.finished


def reader_progress(round_: Round, *, listed: int = 25) -> ReaderProgress:
    """Per reader in the round: active assignments, attested, submitted, and ended (declined or removed); counted
    per reader id in one pass. The `listed` readers with the most reviews left are kept, most first."""
    active = Q(status__in=Assignment.ACTIVE)
    rows = (
        Assignment.objects.filter(application__round=round_)
        .values("reader_id")
        .annotate(
            assigned=Count("pk", filter=active),
            attested=Count("pk", filter=Q(status=Assignment.Status.ACCEPTED)),
            submitted=Count("pk", filter=active & Q(review__status=Review.Status.SUBMITTED)),
            ended=Count("pk", filter=~active),
        )
        .order_by()
    )
    progress = ReaderProgress()
    for row in rows:
        row["left"] = row["assigned"] - row["submitted"]
        progress.readers += 1
        progress.finished += row["left"] == 0
        progress.behind.append(row)
    progress.behind = sorted((r for r in progress.behind if r["left"]), key=lambda r: (-r["left"], r["reader_id"]))
    progress.behind = progress.behind[:listed]
    return progress


@dataclass
class ApplicationProgress:
    needed: int
    complete: int = 0
    in_progress: int = 0
    not_started: int = 0
    short_of_readers: int = 0
    waiting: list[dict] = field(default_factory=list)  # applications with fewer submitted reviews than needed

    @property
    def total(self) -> int:
        return self.complete + self.in_progress + self.not_started


def application_progress(round_: Round, *, listed: int = 50) -> ApplicationProgress:
    """Readers submitted of needed, per submitted application, live from the reviews (not the last computation).

    One pass groups the assignments and keeps only the applications still waiting; the complete ones are the rest
    of a count of the round's submitted applications."""
    submitted = Application.objects.filter(round=round_, status=Application.Status.SUBMITTED)
    active = Q(assignments__status__in=Assignment.ACTIVE)
    progress = ApplicationProgress(needed=round_.readers_per_application)
    waiting = (
        submitted.annotate(
            readers=Count("assignments", filter=active),
            done=Count("assignments", filter=active & Q(assignments__review__status=Review.Status.SUBMITTED)),
        )
        .filter(done__lt=progress.needed)
        .values("pk", "number", "readers", "done")
        .order_by("done", "number")
    )
    for row in waiting:
        if row["done"]:
            progress.in_progress += 1
        else:
            progress.not_started += 1
        if row["readers"] < progress.needed:
            progress.short_of_readers += 1
        if len(progress.waiting) < listed:
            progress.waiting.append(row)
    progress.complete = submitted.count() - progress.in_progress - progress.not_started
    return progress


def last_computed(round_: Round):
    return ApplicationScore.objects.filter(round=round_).aggregate(at=Max("computed_at"))["at"]


def changed_since(round_: Round, at) -> bool:
    """Whether reviews, assignments, consensus records or priority claims changed after `at`, in one query."""
    if at is None:
        return Review.objects.filter(assignment__application__round=round_).exists()
    in_round = {"application__round": round_}
    changed = Round.objects.filter(pk=round_.pk).filter(
        Exists(Review.objects.filter(assignment__application__round=round_, updated_at__gt=at))
        | Exists(Assignment.objects.filter(ended_at__gt=at, **in_round))
        | Exists(Reconciliation.objects.filter(at__gt=at, **in_round))
        | Exists(PriorityClaim.objects.filter(confirmed_at__gt=at, **in_round))
    )
    return changed.exists()


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int
    count: int = 0


def distribution(round_: Round, *, bins: int = 10, maximum: Decimal | None = None) -> list[Bar]:
    """Histogram of final scores: `bins` equal bins from 0 to the highest possible score (rubric maximum plus
    every bonus); a bin holds scores from its lower bound up to, not including, its upper one (the last includes
    its upper bound). `maximum`: the rubric's (scoring.rubric_maximum), when the caller has it.

    Counted by the database, bin by bin, rather than reading every score of the round."""
    scores = ApplicationScore.objects.filter(round=round_, final__isnull=False).order_by()
    highest = scores.aggregate(highest=Max("final"))["highest"]
    top = (rubric_maximum(round_.pk) if maximum is None else maximum) + sum(
        round_.priorities.filter(use=CompetitivePriority.Use.BONUS).values_list("bonus_points", flat=True), ZERO
    )
    top = max(top, highest) if highest is not None else top
    if top <= 0:
        return []
    width = top / bins
    # A score's bin is int(score / width), at most the last: the first bin also takes anything below 0.
    edges = [width * i for i in range(1, bins)]
    within = [Q(final__lt=edges[0])]
    within += [Q(final__gte=low, final__lt=high) for low, high in zip(edges, edges[1:], strict=False)]
    within += [Q(final__gte=edges[-1])]
    counted = scores.aggregate(**{f"bin{i}": Count("pk", filter=where) for i, where in enumerate(within)})
    counts = [counted[f"bin{i}"] for i in range(bins)]
    return [
        Bar(label=f"{q(width * i):f}–{q(width * (i + 1)):f}", value=counts[i], count=counts[i]) for i in range(bins)
    ]


def region_means(round_: Round) -> list[Bar]:
    """Mean final score per region of the consortia, with how many applications each mean is of."""
    rows = (
        ApplicationScore.objects.filter(round=round_, final__isnull=False)
        .values("application__consortium__region__name", "application__consortium__region__position")
        .annotate(mean=Avg("final", output_field=DecimalField(max_digits=12, decimal_places=4)), n=Count("pk"))
        .order_by("application__consortium__region__position", "application__consortium__region__name")
    )
    return [
        Bar(label=row["application__consortium__region__name"], value=q(row["mean"]), count=row["n"]) for row in rows
    ]
