"""An indicator's definition, for defining a new indicator or revising one (a new version); a round's reporting
plan."""

from calendar import month_name
from datetime import time

from django import forms

from ccpt.lib.dates import PacificDateTimeField, format_time
from ccpt.lib.forms import CleanInput, CrispyForm
from ccpt.lib.once import OncePerClickForm

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


class ReportingPlanForm(CrispyForm, forms.Form):
    submit_label = "Save the reporting plan"

    indicators = forms.TypedMultipleChoiceField(
        label="Indicators the grantees report",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one indicator: the grantees must report on something."},
    )
    due_month = forms.TypedChoiceField(
        label="Annual reports due: month", coerce=int, choices=[(m, month_name[m]) for m in range(1, 13)]
    )
    due_day = forms.IntegerField(label="Day of the month", min_value=1, max_value=31)
    due_hour = forms.TypedChoiceField(
        label="Time of day (Pacific)",
        coerce=int,
        choices=[(h, format_time(time(h))) for h in range(24)],
        help_text="Each fiscal year's report is due on the first such day after the year ends on June 30.",
    )

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = [(v.indicator_id, f"{v.name} ({v.indicator.code})") for v in versions]


class ExtraReportForm(OncePerClickForm):
    title = forms.CharField(label="What the report is for", max_length=200)
    due_at = PacificDateTimeField(label="Due (Pacific time)")


class DataManagerForm(CleanInput, forms.Form):
    organization = forms.TypedChoiceField(
        label="Member organization",
        coerce=int,
        error_messages={
            "required": "Choose a member organization.",
            "invalid_choice": "Choose one of the consortium's member organizations.",
        },
    )
    user = forms.TypedChoiceField(
        label="Person",
        coerce=int,
        help_text="Among the people with access to the consortium. Invite a person first from the consortium's page.",
        error_messages={
            "required": "Choose a person.",
            "invalid_choice": "Choose a person with access to the consortium; invite them first if they have none.",
        },
    )

    def __init__(self, *args, organizations, contacts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].choices = [("", "Choose an organization"), *((o.pk, o.name) for o in organizations)]
        self.fields["user"].choices = [
            ("", "Choose a person"),
            *((c.user_id, f"{c.user} <{c.user.email}>") for c in contacts),
        ]
