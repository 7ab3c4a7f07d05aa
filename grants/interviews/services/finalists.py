"""Choosing a round's finalists from its ranked list: the top N of each funding category, or one by one."""

from django.db import transaction
from django.db.models import F

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.programs.models import Round
from grants.reviews.models import ApplicationScore

from ..models import Finalist, InterviewReview
from .setup import SCORE_ROUND, settings_of


def ranked_by_reading(round_: Round):
    """The round's ranked applications in the order of their reading score (before any interview counted)."""
    scores = ApplicationScore.objects.filter(
        round=round_, rank__isnull=False, application__status=Application.Status.SUBMITTED
    )
    # Before interviews are combined the reading score is `final`; after, it is kept in `reading`.
    return scores.select_related("application__consortium", "application__category").order_by(
        F("reading").desc(nulls_last=True), "rank"
    )


def _open_stage(round_: Round) -> None:
    if settings_of(round_) is None:
        raise Refusal(f"{round_} has no interview stage. An administrator turns it on in the interview settings.")
    if round_.results_published_at is not None:
        raise Refusal("The round's results are published: its finalists can no longer change.")


@transaction.atomic
def choose(*, round_: Round, application_ids: list[int], by) -> list[Finalist]:
    """Make these ranked applications of the round finalists (those already finalists are left as they are)."""
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    _open_stage(round_)
    ranked = set(
        ranked_by_reading(round_).filter(application_id__in=application_ids).values_list("application_id", flat=True)
    )
    if missing := set(application_ids) - ranked:
        raise Refusal(f"{len(missing)} of the chosen applications have no rank in this round: score them first.")
    already = set(Finalist.objects.filter(application_id__in=application_ids).values_list("application_id", flat=True))
    made = [
        Finalist.objects.create(application_id=app_id, round=round_, chosen_by=by)
        for app_id in sorted(ranked - already)
    ]
    for finalist in made:
        record(
            Event.Action.STATUS_CHANGE, by=by, obj=finalist.application, summary="Chosen as a finalist for interview"
        )
    later(SCORE_ROUND, round_.pk)  # finalists rank as the round's rule says
    return made


def top_per_category(round_: Round, per_category: int) -> list[int]:
    """The ids of the first `per_category` applications of each funding category by reading score."""
    taken: dict[int | None, int] = {}
    chosen = []
    for app_id, category_id in ranked_by_reading(round_).values_list("application_id", "application__category_id"):
        if taken.get(category_id, 0) < per_category:
            taken[category_id] = taken.get(category_id, 0) + 1
            chosen.append(app_id)
    return chosen


@transaction.atomic
def remove(*, finalist: Finalist, by, reason: str) -> None:
    """No longer a finalist; refused once a panel member has submitted scores of its interview."""
    round_ = Round.objects.select_for_update().get(pk=finalist.round_id)
    _open_stage(round_)
    if InterviewReview.objects.filter(interview__finalist=finalist, status=InterviewReview.Status.SUBMITTED).exists():
        raise Refusal("Panel members have scored this finalist's interview: it can no longer be removed.")
    if not reason.strip():
        raise Refusal("Give a reason; it is kept in the record with your name.", errors={"reason": "Give a reason."})
    application = finalist.application
    finalist.delete()
    record(Event.Action.STATUS_CHANGE, by=by, obj=application, summary=f"No longer a finalist: {reason.strip()}")
    later(SCORE_ROUND, round_.pk)
