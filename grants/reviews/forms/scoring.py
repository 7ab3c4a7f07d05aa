"""Forms of the score pages: reconciliation actions, priorities, publishing, and the ranked list's filters."""

from decimal import Decimal

import django_filters
from django import forms
from django.core.validators import MaxValueValidator
from django.db.models import Exists, OuterRef, Q

from ccpt.lib.forms import CleanInput, reason_field
from consortia.models import Region
from grants.applications.models import ProgramOfStudy
from grants.applications.sectors import Sector
from grants.programs.models import CompetitivePriority, FundingCategory, Round

from ..models import ApplicationScore


class RevisitForm(CleanInput, forms.Form):
    """Choose readers whose submitted reviews go back to them as drafts."""

    prefix = "revisit"  # several forms share the reconciliation page: each keeps its own field ids

    readers = forms.MultipleChoiceField(
        label="Readers to ask",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one reader to ask."},
    )
    reason = reason_field(
        "What should the readers look at again?",
        "Sent to the readers by email and kept in the record with your name and the time.",
    )

    def __init__(self, *args, readings, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviews = {str(r.review.pk): r.review for r in readings if r.submitted}
        self.fields["readers"].choices = [
            (str(r.review.pk), f"{r.label}: {r.assignment.reader} (total {(r.total or 0).normalize():f})")
            for r in readings
            if r.submitted
        ]

    def clean_readers(self):
        return [self.reviews[pk] for pk in self.cleaned_data["readers"]]


class ExtraReaderForm(CleanInput, forms.Form):
    prefix = "reader"
    reader = forms.ChoiceField(
        label="Further reader", error_messages={"required": "Choose a reader to add."}, help_text=""
    )
    reason = reason_field("Why add a reader?")

    def __init__(self, *args, readers, **kwargs):
        super().__init__(*args, **kwargs)
        self.readers = {str(r.pk): r for r in readers}
        self.fields["reader"].choices = [("", "Choose a reader")] + [
            (str(r.pk), f"{r} ({getattr(r, 'load', 0)} in this round)") for r in readers
        ]
        self.fields["reader"].help_text = (
            "Only readers free of any conflict of interest with this consortium, not already reading it and who "
            "have not declined it are listed, with how many applications they read in this round."
        )

    def clean_reader(self):
        return self.readers[self.cleaned_data["reader"]]


class ConsensusForm(CleanInput, forms.Form):
    prefix = "consensus"
    total = forms.DecimalField(
        label="Consensus total",
        min_value=Decimal("0"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": "Enter the total the readers agreed on.",
            "invalid": "Enter the total as a number, e.g. 72.5.",
            "min_value": "Enter a total of 0 or more.",
        },
    )
    reason = reason_field("How was the consensus reached?")

    def __init__(self, *args, maximum: Decimal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["total"].validators.append(
            MaxValueValidator(maximum, message=f"Enter a total from 0 to {maximum.normalize():f}.")
        )
        self.fields["total"].widget.attrs.update({"max": f"{maximum:f}", "step": "0.01"})
        self.fields["total"].help_text = (
            f"On the rubric's scale, 0 to {maximum.normalize():f} (weighted). It replaces the readers' score; "
            "confirmed priorities' bonus points are still added."
        )


class ClearConsensusForm(CleanInput, forms.Form):
    prefix = "clear"
    reason = reason_field("Why clear the consensus score?")


class PriorityClaimForm(CleanInput, forms.Form):
    prefix = "priorities"
    priorities = forms.ModelMultipleChoiceField(
        label="Competitive priorities that apply",
        queryset=CompetitivePriority.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Bonus priorities add their points to the final score; tie-break priorities order equal scores.",
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["priorities"]
        field.queryset = CompetitivePriority.objects.filter(round=round_).order_by("position", "pk")
        field.label_from_instance = lambda p: (
            f"{p.name} (+{p.bonus_points.normalize():f} points)"
            if p.use == CompetitivePriority.Use.BONUS
            else f"{p.name} (tie-break)"
        )


class PublishForm(CleanInput, forms.Form):
    confirm = forms.BooleanField(
        label="I have checked the scores: publish the results to every applicant of this round",
        error_messages={"required": "Tick the box to confirm; publishing cannot be undone."},
    )


class RankingFilter(django_filters.FilterSet):
    """The ranked list's filters; every filter keeps the list at one query per page."""

    category = django_filters.ModelChoiceFilter(
        label="Funding category",
        field_name="application__category",
        queryset=FundingCategory.objects.none(),
        empty_label="Any category",
    )
    region = django_filters.ModelChoiceFilter(
        label="Region",
        field_name="application__consortium__region",
        queryset=Region.objects.all(),
        empty_label="Any region",
    )
    sector = django_filters.ChoiceFilter(
        label="Industry sector", choices=Sector.choices, empty_label="Any sector", method="filter_sector"
    )
    show = django_filters.ChoiceFilter(
        label="Show",
        choices=[
            ("fundable", "Fundable only"),
            ("flagged", "Flagged discrepancies"),
            ("waiting", "Waiting for reviews"),
            ("consensus", "With a consensus score"),
        ],
        empty_label="All applications",
        method="filter_show",
    )

    class Meta:
        model = ApplicationScore
        fields: list[str] = []

    def __init__(self, data=None, *args, round_: Round, queryset, **kwargs):
        super().__init__(data, *args, queryset=queryset, **kwargs)
        self.round = round_
        self.filters["category"].queryset = FundingCategory.objects.filter(round=round_)

    def filter_sector(self, queryset, name, value):
        return queryset.filter(
            Exists(ProgramOfStudy.objects.filter(application=OuterRef("application_id"), sector=value))
        )

    def filter_show(self, queryset, name, value):
        conditions = {
            "fundable": Q(fundable=True),
            "flagged": Q(flagged=True),
            "waiting": Q(readers__lt=self.round.readers_per_application),
            "consensus": Q(consensus__isnull=False),
        }
        return queryset.filter(conditions[value])
