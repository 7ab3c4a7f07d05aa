"""A round's interview stage: its settings and its interview rubric (administrators, before results are published)."""

from decimal import Decimal

from django.db import transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.refusal import Refusal
from grants.programs.models import Round

from ..models import InterviewCriterion, InterviewReview, InterviewSettings

SCORE_ROUND = "grants.reviews.tasks.score_round"


def settings_of(round_: Round) -> InterviewSettings | None:
    """The round's interview settings when it has an interview stage; None when it has none."""
    found = InterviewSettings.objects.filter(round=round_).first()
    return found if found is not None and found.has_interviews else None


def _unchangeable(round_: Round) -> None:
    if round_.results_published_at is not None:
        raise Refusal("The round's results are published: its interview stage can no longer change.")


@transaction.atomic
def configure(*, round_: Round, by, **fields) -> InterviewSettings:
    """Save the round's interview settings (the fields of InterviewSettings), recorded in the audit trail."""
    _unchangeable(round_)
    found, created = InterviewSettings.objects.select_for_update().get_or_create(round=round_, defaults=fields)
    if not created:
        for name, value in fields.items():
            setattr(found, name, value)
        found.full_clean()
        found.save()
    summary = "Interview stage " + ("on: " + found.get_combination_display() if found.has_interviews else "off")
    if found.has_interviews and found.combination == InterviewSettings.Combination.WEIGHTED:
        summary += f" ({found.interview_weight.normalize()}% interview)"
    record(Event.Action.SETTING_CHANGE, by=by, obj=round_, summary=summary)
    later(SCORE_ROUND, round_.pk)  # the ranked list shows the stage's rule and columns, or no longer does
    return found


def rubric_maximum(round_id: int) -> Decimal:
    criteria = InterviewCriterion.objects.filter(round_id=round_id).values_list("max_points", "weight")
    return sum((points * weight for points, weight in criteria), Decimal("0"))


@transaction.atomic
def save_criterion(*, criterion: InterviewCriterion, by) -> InterviewCriterion:
    round_ = Round.objects.select_for_update().get(pk=criterion.round_id)
    _unchangeable(round_)
    if (
        criterion.pk
        and InterviewReview.objects.filter(
            interview__finalist__round=round_, status=InterviewReview.Status.SUBMITTED
        ).exists()
    ):
        raise Refusal("Panel members have submitted scores against this rubric: it can no longer change.")
    if InterviewCriterion.objects.filter(round=round_, name__iexact=criterion.name).exclude(pk=criterion.pk).exists():
        raise Refusal("The interview rubric has a criterion of that name already.", errors={"name": "Already used."})
    if not criterion.pk:
        criterion.position = InterviewCriterion.objects.filter(round=round_).count()
    criterion.save()
    record(Event.Action.SETTING_CHANGE, by=by, obj=round_, summary=f"Interview criterion saved: {criterion.name}")
    return criterion


@transaction.atomic
def delete_criterion(*, criterion: InterviewCriterion, by) -> None:
    round_ = Round.objects.select_for_update().get(pk=criterion.round_id)
    _unchangeable(round_)
    if criterion.scores.exists():
        raise Refusal("Panel members have scored this criterion: it can no longer be removed.")
    criterion.delete()
    record(Event.Action.SETTING_CHANGE, by=by, obj=round_, summary=f"Interview criterion removed: {criterion.name}")
