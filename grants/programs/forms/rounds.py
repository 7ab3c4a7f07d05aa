"""A round's own settings, its status changes and copying it."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.html import format_html

from ccpt.lib.dates import PacificDateTimeField
from ccpt.lib.forms import CleanInput, form_helper
from ccpt.lib.money import CENT, MoneyField, format_money
from consortia.composition import Requirement
from consortia.models import Organization

from ..models import (
    Round,
)

LEAD_KIND_CHOICES = [(kind.value, kind.label) for kind in Organization.Kind if kind in Organization.LEAD_KINDS]


class RoundForm(CleanInput, forms.ModelForm):
    """A round's own settings; its rows (categories, rubric, priorities, attachments) have their own pages."""

    funds_available = MoneyField(label="Funds available", min_value=CENT, help_text="Dollars this round may award.")
    loi_deadline = PacificDateTimeField(
        label="Letter-of-intent deadline (Pacific time)",
        required=False,
        help_text="Leave empty when no letter of intent is required. "
        "When set, only consortia that filed one may apply.",
    )
    opens_at = PacificDateTimeField(label="Applications open (Pacific time)")
    closes_at = PacificDateTimeField(label="Applications close (Pacific time)")
    eligible_lead_kinds = forms.MultipleChoiceField(
        label="Organizations that may lead an application",
        choices=LEAD_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one kind of organization that may lead an application."},
    )
    required_composition = forms.MultipleChoiceField(
        label="Consortium members this round requires",
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    grant_start_year = forms.IntegerField(
        label="Grant period starts in fiscal year",
        min_value=2000,
        max_value=2100,
        help_text="The calendar year the first fiscal year starts: 2014 for 2014-15.",
        error_messages={"min_value": "Enter a year from 2000 to 2100.", "max_value": "Enter a year from 2000 to 2100."},
    )
    grant_years = forms.IntegerField(
        label="Number of fiscal years",
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": "A grant period lasts 1 to 10 fiscal years.",
            "max_value": "A grant period lasts 1 to 10 fiscal years.",
        },
    )
    match_percent = forms.DecimalField(
        label="Partner commitment required (% of the amount requested)",
        required=False,
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        help_text="Sustainability: partner commitments must reach this share of the request. "
        "Leave empty for none (no ratio is set in statute).",
        error_messages={"min_value": "The percentage cannot be negative."},
    )
    readers_per_application = forms.IntegerField(
        label="Readers per application",
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": "Each application needs 1 to 10 readers.",
            "max_value": "Each application needs 1 to 10 readers.",
        },
    )
    discrepancy_threshold = forms.DecimalField(
        label="Discrepancy threshold (points)",
        min_value=Decimal("0"),
        max_digits=6,
        decimal_places=2,
        help_text="Flag an application for reconciliation when readers' totals differ by more than this.",
        error_messages={"min_value": "The threshold cannot be negative."},
    )

    class Meta:
        model = Round
        fields = [
            "name",
            "code",
            "kind",
            "description",
            "funds_available",
            "loi_deadline",
            "opens_at",
            "closes_at",
            "grant_start_year",
            "grant_years",
            "eligible_lead_kinds",
            "required_composition",
            "match_percent",
            "readers_per_application",
            "discrepancy_threshold",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if creating and self.initial.get("grant_start_year") is None:
            self.initial["grant_start_year"] = timezone.localdate().year + 1
        when = "All times are Pacific time (America/Los_Angeles)."
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Fieldset("The round", "name", "code", "kind", "description", "funds_available"),
            Fieldset(
                "Dates", HTML(format_html('<p class="form-text">{}</p>', when)), "loi_deadline", "opens_at", "closes_at"
            ),
            Fieldset(
                "Grant period",
                Row(Column("grant_start_year", css_class="col-md-6"), Column("grant_years", css_class="col-md-6")),
                HTML(
                    format_html(
                        '<p class="form-text" id="fiscal-years-preview" aria-live="polite">'
                        "Fiscal years of the grant: <strong>{}</strong></p>",
                        self.fiscal_years_preview(),
                    )
                ),
            ),
            Fieldset("Eligibility", "eligible_lead_kinds", "required_composition", "match_percent"),
            Fieldset("Review", "readers_per_application", "discrepancy_threshold"),
        )
        self.helper.add_input(Submit("submit", "Create round" if creating else "Save settings"))

    def fiscal_years_preview(self) -> str:
        try:
            start, years = int(self["grant_start_year"].value()), int(self["grant_years"].value())
        except (TypeError, ValueError):
            return "enter the first year and the number of years"
        if not (2000 <= start <= 2100 and 1 <= years <= 10):
            return "enter a first year from 2000 to 2100 and 1 to 10 years"
        return ", ".join(Round(grant_start_year=start, grant_years=years).fiscal_years)

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        others = Round.objects.filter(program_id=self.instance.program_id, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(f"This program already has a round named “{name}”.")
        return name

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Round.objects.filter(code__iexact=code).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"Another round already uses the code “{code}”; choose another.")
        return code

    def clean(self):
        cleaned = super().clean()
        opens, closes, loi = cleaned.get("opens_at"), cleaned.get("closes_at"), cleaned.get("loi_deadline")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", "Applications must close after they open.")
        if loi and closes and loi > closes:
            self.add_error("loi_deadline", "The letter-of-intent deadline must come before applications close.")
        funds = cleaned.get("funds_available")
        if funds is not None and self.instance.pk:
            too_big = self.instance.categories.filter(maximum_award__gt=funds).order_by("-maximum_award").first()
            if too_big:
                self.add_error(
                    "funds_available",
                    f"The funding category “{too_big.name}” has a maximum award of "
                    f"{format_money(too_big.maximum_award)}, more than {format_money(funds)}. Lower that maximum "
                    "first, or keep the funds.",
                )
        return cleaned


class TransitionForm(CleanInput, forms.Form):
    target = forms.ChoiceField(choices=Round.Status.choices)
    reason = forms.CharField(required=False, max_length=2000, strip=True)


class CopyRoundForm(CleanInput, forms.Form):
    name = forms.CharField(label="Name of the new round", max_length=200)
    code = forms.SlugField(
        label="Code of the new round",
        max_length=20,
        help_text='Short code used in application numbers, e.g. "r3". Letters, digits, hyphens and underscores.',
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.round = round_
        self.helper = form_helper(submit="Copy the round")

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Round.objects.filter(program_id=self.round.program_id, name__iexact=name).exists():
            raise forms.ValidationError(f"This program already has a round named “{name}”.")
        return name

    def clean_code(self):
        code = self.cleaned_data["code"].strip()
        if Round.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(f"Another round already uses the code “{code}”; choose another.")
        return code
