"""Filing a letter of intent and starting an application."""

from django import forms

from ccpt.lib.dates import format_datetime
from ccpt.lib.forms import CleanInput, form_helper
from consortia.models import Consortium
from grants.programs.models import FundingCategory, Round

from ..models import Application

Section = Application.Section


# Letter of intent and starting an application


class LetterOfIntentForm(CleanInput, forms.Form):
    consortium = forms.ModelChoiceField(queryset=Consortium.objects.none(), empty_label=None)
    category = forms.ModelChoiceField(
        queryset=FundingCategory.objects.none(),
        required=False,
        label="Intended funding category (optional)",
        empty_label="Not decided yet",
    )
    notes = forms.CharField(
        label="Notes for CDE (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )

    def __init__(self, *args, round_: Round, consortia: list[Consortium], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consortium"]
        field.queryset = Consortium.objects.filter(pk__in=[c.pk for c in consortia])
        if len(consortia) == 1:
            field.initial = consortia[0].pk
            field.widget = forms.HiddenInput()
        self.fields["category"].queryset = round_.categories.all()
        self.helper = form_helper(submit="File the letter of intent")


class StartApplicationForm(CleanInput, forms.Form):
    consortium = forms.ModelChoiceField(queryset=Consortium.objects.none(), empty_label=None)
    round = forms.ModelChoiceField(queryset=Round.objects.none(), label="Round")
    category = forms.ModelChoiceField(queryset=FundingCategory.objects.none(), label="Funding category")

    def __init__(self, *args, consortia: list[Consortium], open_rounds: list[Round], **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["consortium"]
        field.queryset = Consortium.objects.filter(pk__in=[c.pk for c in consortia])
        if len(consortia) == 1:
            field.initial = consortia[0].pk
            field.widget = forms.HiddenInput()
        # Validation accepts any published round and category, so that a round that closed while the page
        # was open is refused with the service's clear reason rather than "Select a valid choice".
        self.fields["round"].queryset = Round.objects.exclude(status=Round.Status.DRAFT)
        self.fields["round"].widget.choices = [("", "Choose a round")] + [
            (r.pk, f"{r} (closes {format_datetime(r.closes_at)})") for r in open_rounds
        ]
        if len(open_rounds) == 1:
            self.fields["round"].initial = open_rounds[0].pk
        self.fields["category"].queryset = FundingCategory.objects.exclude(round__status=Round.Status.DRAFT)
        self.fields["category"].widget.choices = [("", "Choose a funding category")] + [
            (r.name, [(c.pk, str(c)) for c in r.categories.all()]) for r in open_rounds
        ]
        self.helper = form_helper(submit="Start the application")

    def clean(self):
        cleaned = super().clean()
        round_, category = cleaned.get("round"), cleaned.get("category")
        if round_ and category and category.round_id != round_.pk:
            self.add_error("category", f"Choose a funding category of {round_}.")
        return cleaned
