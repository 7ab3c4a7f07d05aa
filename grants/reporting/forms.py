"""An indicator's definition, for defining a new indicator or revising one (a new version)."""

from django import forms

from ccpt.lib.forms import CrispyForm

from .models import IndicatorVersion as V


class IndicatorForm(CrispyForm, forms.Form):
    submit_label = "Save the definition"

    code = forms.SlugField(
        label="Code",
        max_length=40,
        help_text='Short, lowercase, with hyphens, e.g. "dual-enrollment". Exports and CSV templates use it; it '
        "never changes.",
        error_messages={"invalid": "Use lowercase letters, digits and hyphens only.", "required": "Give a code."},
    )
    name = forms.CharField(label="Name", max_length=200)
    definition = forms.CharField(
        label="Definition",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Exactly what is counted, in plain words, and its source. Every grantee reports under these words.",
    )
    unit = forms.ChoiceField(label="Unit", choices=V.Unit.choices, widget=forms.RadioSelect)
    numerator = forms.CharField(
        label="Numerator definition",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For a rate only: what is counted above the line.",
    )
    denominator = forms.CharField(
        label="Denominator definition",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For a rate only: what is counted below the line. Totals divide summed numerators by summed "
        "denominators, never average rates.",
    )
    reporters = forms.MultipleChoiceField(
        label="Reported by",
        choices=V.Reporter.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each member organization of these kinds reports its own value.",
        error_messages={"required": "Say which members report it."},
    )
    breakdowns = forms.MultipleChoiceField(
        label="Broken down by",
        required=False,
        choices=V.Breakdown.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Besides by member organization, which every value is.",
    )
    measure = forms.ChoiceField(
        label="Statutory measure it serves",
        required=False,
        choices=[("", "None: a practice count of the program"), *V.Measure.choices],
    )

    def __init__(self, *args, revising: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if revising:
            del self.fields["code"]
            self.helper.inputs[0].value = "Save as a new version"

    def definition_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "code"}


def initial_from(version: V) -> dict:
    return {name: getattr(version, name) for name in IndicatorForm.base_fields if name != "code"}
