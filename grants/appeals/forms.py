from django import forms

from ccpt.lib.forms import CleanInput
from ccpt.lib.once import OncePerClickForm
from grants.conversations.forms import FilesField

from .models import Appeal, AppealSettings


class AppealForm(OncePerClickForm):
    grounds = forms.MultipleChoiceField(label="Grounds for the appeal", widget=forms.CheckboxSelectMultiple)
    statement = forms.CharField(label="Your statement", widget=forms.Textarea(attrs={"rows": 6}))
    files = FilesField(
        label="Evidence (optional)", required=False, help_text="PDF, Word (.docx), Excel (.xlsx), PNG or JPEG."
    )

    def __init__(self, *args, grounds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grounds"].choices = [(ground, ground) for ground in grounds]


class DecisionForm(CleanInput, forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("upheld", "Uphold the appeal"), ("denied", "Deny the appeal")],
        widget=forms.RadioSelect,
    )
    remedy = forms.ChoiceField(
        label="Remedy, when upheld",
        required=False,
        choices=[(value, label) for value, label in Appeal.Remedy.choices if value],
        widget=forms.RadioSelect,
    )
    reasons = forms.CharField(
        label="Reasons", widget=forms.Textarea(attrs={"rows": 5}), help_text="The applicant reads them in the email."
    )


class SettingsForm(CleanInput, forms.ModelForm):
    class Meta:
        model = AppealSettings
        fields = ["takes_appeals", "window_days", "grounds", "independent_decider"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 5})}
