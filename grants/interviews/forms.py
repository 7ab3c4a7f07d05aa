"""Forms of the interview stage: settings and rubric (administrators), finalists, panels and slots (staff), a request
for another slot (the finalist), and the panel member's scores (the reading review's form on the interview rubric)."""

from django import forms

from ccpt.lib.dates import PacificDateTimeField
from ccpt.lib.forms import CleanInput, CrispyForm, reason_field
from grants.reviews.forms.reviews import ReviewForm, _points_text

from .models import InterviewCriterion, InterviewScore, InterviewSettings


class SettingsForm(CrispyForm, forms.ModelForm):
    submit_label = "Save the interview settings"

    class Meta:
        model = InterviewSettings
        fields = [
            "has_interviews",
            "combination",
            "interview_weight",
            "finalists_per_category",
            "interview_minutes",
            "panel_size",
        ]
        widgets = {"combination": forms.RadioSelect}


class CriterionForm(CrispyForm, forms.ModelForm):
    submit_label = "Save the criterion"

    class Meta:
        model = InterviewCriterion
        fields = ["name", "description", "max_points", "weight"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class TopFinalistsForm(CrispyForm, forms.Form):
    submit_label = "Choose these finalists"

    per_category = forms.IntegerField(
        label="Finalists per funding category",
        min_value=1,
        max_value=200,
        help_text="The first of each funding category by reading score; those already finalists stay.",
    )


class FinalistsForm(CleanInput, forms.Form):
    applications = forms.TypedMultipleChoiceField(
        label="Applications to invite to interview",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one application."},
    )

    def __init__(self, *args, ranked, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].choices = [(s.application_id, s.application.number) for s in ranked]


class RemoveFinalistForm(CleanInput, forms.Form):
    reason = reason_field(
        "Why is it no longer a finalist?",
        "Kept in the record with your name and the time.",
        "Give a reason; it is kept in the record with your name.",
    )


class PanelForm(CrispyForm, forms.Form):
    submit_label = "Create the panel"

    name = forms.CharField(max_length=100, help_text="For example: Panel A, or Tuesday morning.")


class MemberForm(CrispyForm, forms.Form):
    submit_label = "Add to the panel"

    member = forms.ModelChoiceField(
        queryset=None, label="Panel member", help_text="Active readers and program staff; conflicts are checked."
    )

    def __init__(self, *args, eligible, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = eligible
        self.fields["member"].label_from_instance = lambda person: f"{person} ({person.email})"


class ScheduleForm(CrispyForm, forms.Form):
    submit_label = "Save the slot and email the finalist"

    panel = forms.ModelChoiceField(queryset=None, empty_label=None)
    starts_at = PacificDateTimeField(label="Starts (Pacific time)")
    minutes = forms.IntegerField(label="Length (minutes)", min_value=10, max_value=480)
    place = forms.CharField(max_length=300, required=False, help_text="Room and address, when in person.")
    video_link = forms.URLField(label="Video link", required=False, assume_scheme="https")

    def __init__(self, *args, panels, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = panels

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("place") or cleaned.get("video_link")) and "video_link" not in self.errors:
            self.add_error("place", "Give the place or the video link.")
        return cleaned


class SlotRequestForm(CrispyForm, forms.Form):
    submit_label = "Ask for another slot"

    reason = reason_field("Why does the slot not suit?", "Program staff read it.", "Say why the slot does not suit.")
    preferred = forms.CharField(
        label="Times that would suit (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: any morning of the week of March 9.",
    )


class AnswerForm(CrispyForm, forms.Form):
    submit_label = "Keep the slot and send this answer"

    answer = reason_field(
        "Your answer", "The finalist reads it by email and on the interview's page.", "Give an answer."
    )


class ConflictForm(CrispyForm, forms.Form):
    submit_label = "Declare the conflict"
    submit_classes = "btn btn-outline-danger"

    reason = reason_field(
        "Describe the conflict of interest",
        "For example: “My spouse works for a member district.” Kept in the record; you will not score this "
        "interview, nor read or interview this consortium again.",
        "Describe the conflict of interest; it is kept in the record.",
    )


class UnlockForm(CrispyForm, forms.Form):
    submit_label = "Unlock the scores"
    submit_classes = "btn btn-outline-danger"

    reason = reason_field(
        "Reason for unlocking",
        "Kept in the record; the panel member sees the scores as a draft again.",
        "Give a reason for unlocking the scores; it is kept in the record.",
    )


class InterviewScoreForm(ReviewForm):
    """A score box and a comment for each criterion of the interview rubric, and an overall comment."""

    @classmethod
    def initial_from(cls, review) -> dict:
        if review is None:
            return {}
        initial = {"overall_comment": review.overall_comment}
        for score in InterviewScore.objects.filter(review=review):
            initial[f"points_{score.criterion_id}"] = _points_text(score.points)
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["overall_comment"].help_text = "The finalist's strengths and weaknesses at interview."
