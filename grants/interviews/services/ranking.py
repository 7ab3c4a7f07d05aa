"""How the interview score combines with the reading score into the final rank (a stage of score_round).

An application's interview score is the mean of its panel members' submitted interview totals, leaving out any
member in conflict with it today, put on the reading rubric's scale (interview mean / interview rubric maximum x
reading rubric maximum), so that the two can be blended. Then, by the round's setting:
- weighted (w = the interview's percent): final = (1 - w) x reading score + w x interview score, for every finalist
  whose interview is scored; finalists rank ahead of the applications not invited to interview (those were not
  interviewed, so their scores do not compare), and a finalist not yet scored keeps its reading score meanwhile;
- tie-break: final is the reading score, and between equal finals the higher interview score ranks first.
The fundable line applies to the final score either way. Results cannot be published while a finalist's interview
has no submitted score (unscored_finalists).
"""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from ccpt.lib.text import plural
from grants.applications.models import Application
from grants.reviews.services import scoring, stages
from grants.reviews.services.conflicts import conflicted_pairs

from ..models import Finalist, InterviewReview, InterviewSettings
from .setup import rubric_maximum, settings_of

CENT = Decimal("0.01")
W = InterviewSettings.Combination


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def counted_totals(round_id: int) -> dict[int, list[Decimal]]:
    """{application id: [submitted interview totals]}, members in conflict with the application left out."""
    reviews = InterviewReview.objects.filter(
        interview__finalist__round_id=round_id, status=InterviewReview.Status.SUBMITTED
    ).values_list("member_id", "interview__finalist__application_id", "total")
    rows = list(reviews)
    if not rows:
        return {}
    applications = Application.objects.filter(pk__in={a for _, a, _ in rows})
    conflicted = set(conflicted_pairs(applications=applications, reader_ids=list({m for m, _, _ in rows})))
    totals: dict[int, list[Decimal]] = defaultdict(list)
    for member_id, app_id, total in rows:
        if (member_id, app_id) not in conflicted and total is not None:
            totals[app_id].append(total)
    return totals


def combine(*, round_, rows: dict[int, dict]) -> None:
    """The interview stage of score_round (registered in apps.py): see the module docstring."""
    found = settings_of(round_)
    if found is None:
        return
    finalists = set(Finalist.objects.filter(round=round_).values_list("application_id", flat=True))
    totals = counted_totals(round_.pk)
    reading_max = scoring.rubric_maximum(round_.pk)
    interview_max = rubric_maximum(round_.pk)
    weight = found.weight_fraction
    for app_id, row in rows.items():
        if row["final"] is None:
            continue
        row["reading"] = row["final"]
        if app_id not in finalists:
            continue
        row["finalist"] = True
        marks = totals.get(app_id)
        interview = None
        if marks and interview_max:
            interview = _q(sum(marks, Decimal("0")) / len(marks) / interview_max * reading_max)
        row["interview"] = interview
        if found.combination == W.WEIGHTED:
            row[stages.AHEAD] = 1
            if interview is not None:
                row["final"] = _q((1 - weight) * row["reading"] + weight * interview)
                row["fundable"] = row["final"] >= round_.minimum_fundable_score
        elif interview is not None:
            row[stages.TIE_BREAK] = interview


def unscored_finalists(round_) -> list[str]:
    """What stops publication: finalists without an interview, or whose interview nobody has scored."""
    if settings_of(round_) is None:
        return []
    finalists = Finalist.objects.filter(round=round_, application__status=Application.Status.SUBMITTED)
    unscheduled = finalists.filter(interview__isnull=True).count()
    unscored = (
        finalists.filter(interview__isnull=False)
        .exclude(interview__reviews__status=InterviewReview.Status.SUBMITTED)
        .count()
    )
    problems = []
    if unscheduled:
        problems.append(f"{plural(unscheduled, 'finalist has', 'finalists have')} no interview scheduled.")
    if unscored:
        problems.append(f"{plural(unscored, 'finalist has', 'finalists have')} no submitted interview score.")
    return problems


def method(round_) -> str:
    """The rule in words, for the ranked list."""
    found = settings_of(round_)
    if found is None:
        return ""
    if found.combination == W.WEIGHTED:
        w = found.interview_weight
        return (
            f"Finalists were interviewed. Final score = {(100 - w).normalize():f}% reading score + {w.normalize():f}% "
            "interview score (the panel's mean on the reading rubric's scale); finalists rank ahead of applications "
            "not invited to interview."
        )
    return (
        "Finalists were interviewed. The reading score ranks; between equal scores, the higher interview score "
        "ranks first."
    )
