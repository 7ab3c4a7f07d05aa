"""Forms of the reader workspace: attest or declare a conflict, score against the rubric, unlock (staff)."""

from dataclasses import dataclass
from decimal import Decimal

from django import forms

from ccpt.lib.forms import CleanInput, reason_field
from ccpt.lib.refusal import Refusal
from grants.programs.models import Criterion, Round

from ..models import Score
from ..services.reviews import comment_problem, comment_threshold, parse_points, points_problem, step_label


class AttestationForm(CleanInput, forms.Form):
    no_conflict = forms.BooleanField(
        label="I have no conflict of interest with this consortium or any of its members",
        error_messages={"required": "Tick the box to attest, or declare a conflict of interest instead."},
    )


class ConflictForm(CleanInput, forms.Form):
    reason = reason_field(
        "Describe the conflict of interest",
        "For example: “I worked for a member district until last year.” Kept in the record; "
        "program staff will assign another reader.",
        "Describe the conflict of interest; it is kept in the record.",
    )


class UnlockForm(CleanInput, forms.Form):
    reason = reason_field(
        "Reason for unlocking",
        "Kept in the record with your name and the time; the reader sees the review as a draft again.",
        "Give a reason for unlocking the review; it is kept in the record.",
    )


def _points_text(points: Decimal | None) -> str:
    return "" if points is None else f"{points.normalize():f}"


@dataclass
class CriterionRow:
    criterion: Criterion
    points: forms.BoundField
    comment: forms.BoundField


class ReviewForm(CleanInput, forms.Form):
    """One score box and one comment per criterion of the rubric, and an overall comment.

    Checks what the service checks, so that each message appears next to its field; `data_for_service()`
    holds every entry that is valid, so that a draft keeps them even when others are wrong.
    """

    overall_comment = forms.CharField(
        label="Overall comment",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Strengths and weaknesses of the application as a whole.",
    )

    def __init__(self, *args, round: Round, criteria: list[Criterion], submit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round
        self.criteria = criteria
        self.submit = submit
        self.entries: dict[int, dict] = {}
        for criterion in criteria:
            step = step_label(half_points=round.half_points, maximum=criterion.max_points)
            maximum = f"{criterion.max_points.normalize():f}"
            threshold = f"{comment_threshold(criterion, round.comment_required_below).normalize():f}"
            self.fields[f"points_{criterion.pk}"] = forms.CharField(
                label=f"Score for {criterion.name} (0 to {maximum})",
                required=False,
                max_length=20,
                help_text=f"Use {step}. Weight {criterion.weight.normalize():f}.",
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "decimal",
                        "autocomplete": "off",
                        "data-max": maximum,
                        "data-weight": f"{criterion.weight:f}",
                        "data-half-points": "true" if round.half_points else "false",
                        "class": "js-score",
                    }
                ),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on {criterion.name}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=f"Required when the score is below {threshold}.",
            )

    @classmethod
    def initial_from(cls, review) -> dict:
        if review is None:
            return {}
        initial = {"overall_comment": review.overall_comment}
        for score in Score.objects.filter(review=review):
            initial[f"points_{score.criterion_id}"] = _points_text(score.points)
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def rows(self) -> list[CriterionRow]:
        return [CriterionRow(c, self[f"points_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def clean(self):
        cleaned = super().clean()
        for criterion in self.criteria:
            points_name, comment_name = f"points_{criterion.pk}", f"comment_{criterion.pk}"
            if points_name not in cleaned:  # already refused by the field itself (too long)
                continue
            entry = {"comment": cleaned.get(comment_name, "")}
            text = cleaned[points_name].strip()
            points = None
            try:
                points = parse_points(text, maximum=criterion.max_points) if text else None
            except ValueError as error:
                self.add_error(points_name, str(error))
            else:
                problem = points is not None and points_problem(criterion, points, half_points=self.round.half_points)
                if problem:
                    self.add_error(points_name, problem)
                else:
                    entry["points"] = points
            self.entries[criterion.pk] = entry
            if not self.submit or points_name in self.errors:
                continue
            if points is None:
                self.add_error(points_name, "Score this criterion before submitting.")
            elif problem := comment_problem(
                criterion, points, entry["comment"], percent=self.round.comment_required_below
            ):
                self.add_error(comment_name, problem)
        return cleaned

    def data_for_service(self) -> dict:
        """What may be saved: every valid entry (call after is_valid(), whatever it returned)."""
        data = {"scores": self.entries}
        if "overall_comment" in self.cleaned_data:
            data["overall_comment"] = self.cleaned_data["overall_comment"]
        return data

    def add_service_errors(self, error: Refusal) -> None:
        for pk, messages in error.errors.items():
            for key, message in messages.items():
                self.add_error(f"{key}_{pk}", message)
