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


class ChooseRoundForm(CleanInput, forms.Form):
    """The first step of starting when several rounds are open: which round (sent with GET, to the next step)."""

    round = forms.ModelChoiceField(
        queryset=Round.objects.none(),
        label="Round",
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the round you apply in.", "invalid_choice": "Choose an open round."},
    )
    consortium = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, open_rounds: list[Round], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = Round.objects.filter(pk__in=[r.pk for r in open_rounds])
        self.fields["round"].label_from_instance = lambda r: f"{r} (applications close {format_datetime(r.closes_at)})"
        if not self.initial.get("consortium"):
            del self.fields["consortium"]  # carried to the next step only when a link chose it
        self.helper = form_helper(tag=False, csrf=False)  # sent with GET: start.html holds the form and its button


class StartApplicationForm(CleanInput, forms.Form):
    """The application's consortium and funding category, in one round chosen before (`round_`): only that round's
    categories are offered, named with the round so that two rounds' categories of the same name are not confused."""

    consortium = forms.ModelChoiceField(queryset=Consortium.objects.none(), empty_label=None)
    round = forms.ModelChoiceField(queryset=Round.objects.none(), widget=forms.HiddenInput)
    category = forms.ModelChoiceField(
        queryset=FundingCategory.objects.none(),
        error_messages={"required": "Choose the funding category you apply in."},
    )

    def __init__(self, *args, round_: Round, consortia: list[Consortium], **kwargs):
        kwargs.setdefault("initial", {})["round"] = round_.pk
        super().__init__(*args, **kwargs)
        self.round = round_
        field = self.fields["consortium"]
        field.queryset = Consortium.objects.filter(pk__in=[c.pk for c in consortia])
        # With one consortium to apply for, it is named on the page rather than offered as a choice.
        self.only_consortium = consortia[0] if len(consortia) == 1 else None
        if self.only_consortium:
            field.initial = self.only_consortium.pk
            field.widget = forms.HiddenInput()
        # Validation accepts any published round and category, so that a round that closed while the page was open
        # is refused with the service's clear reason, and a category of another round with ours (clean()), rather
        # than "Select a valid choice".
        self.fields["round"].queryset = Round.objects.exclude(status=Round.Status.DRAFT)
        category = self.fields["category"]
        category.queryset = FundingCategory.objects.exclude(round__status=Round.Status.DRAFT)
        category.label = f"Funding category in {round_}"
        category.widget.choices = [("", "Choose a funding category")] + [
            (c.pk, str(c)) for c in round_.categories.all()
        ]
        self.helper = form_helper(submit="Start the application")

    def clean(self):
        cleaned = super().clean()
        round_, category = cleaned.get("round"), cleaned.get("category")
        if round_ and category and category.round_id != round_.pk:
            self.add_error("category", f"Choose a funding category of {round_}.")
        return cleaned
