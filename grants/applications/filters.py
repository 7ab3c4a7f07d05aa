"""The staff list of a round's applications and their submissions: one query for the rows, whatever the filters."""

import django_filters
from django.db.models import Count, Exists, F, FilteredRelation, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from consortia.models import Region
from grants.programs.models import FundingCategory, Round

from .models import Application, ProgramOfStudy, ScreeningCheck, Submission
from .sectors import Sector


def submission_rows(round_: Round):
    """A round's applications with their current submission's screening, in one query per page.

    Each row carries `submission_id`, `screening`, `submission_at` and `checks_failed` (failed checks
    that staff have not overridden) from the current submission, or None/0 when there is none.
    """
    failed = (
        ScreeningCheck.objects.filter(
            submission__application=OuterRef("pk"),
            submission__is_current=True,
            passed=False,
            overridden_at__isnull=True,
        )
        .order_by()
        .values("submission__application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Application.objects.filter(round=round_)
        .select_related("consortium__lead_agency", "consortium__region", "category")
        .only(
            "number",
            "title",
            "status",
            "requested_amount",
            "consortium__name",
            "consortium__lead_agency__name",
            "consortium__region__name",
            "category__name",
        )
        .annotate(current=FilteredRelation("submissions", condition=Q(submissions__is_current=True)))
        .annotate(
            submission_id=F("current__id"),
            screening=F("current__screening"),
            submission_at=F("current__submitted_at"),
            checks_failed=Coalesce(Subquery(failed[:1], output_field=IntegerField()), Value(0)),
        )
        .order_by("number")
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Break ties by application number, so that pages never shuffle rows between them."""

    def filter(self, qs, value):
        qs = super().filter(qs, value)
        return qs.order_by(*qs.query.order_by, "number") if value else qs


class SubmissionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label="Status", choices=Application.Status.choices, empty_label="Any status", field_name="status"
    )
    # Plain choices filled in __init__, not ModelChoiceFilters: one ordinary query each for the options,
    # and a chosen value is checked against them without another query.
    category = django_filters.ChoiceFilter(label="Funding category", field_name="category", empty_label="Any category")
    region = django_filters.ChoiceFilter(label="Region", field_name="consortium__region", empty_label="Any region")
    sector = django_filters.ChoiceFilter(
        label="Industry sector", choices=Sector.choices, empty_label="Any sector", method="filter_sector"
    )
    screening = django_filters.ChoiceFilter(
        label="Screening result",
        choices=Submission.Screening.choices,
        empty_label="Any result",
        field_name="current__screening",
    )
    q = django_filters.CharFilter(label="Search", method="filter_search")
    sort = StableOrderingFilter(
        label="Sort by",
        fields=(("number", "number"), ("requested_amount", "requested"), ("submission_at", "submitted")),
        field_labels={
            "number": "Application number",
            "requested_amount": "Amount requested",
            "submission_at": "Submission time",
        },
        empty_label=None,  # the first choice, by application number, is the default
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def __init__(self, data=None, *args, round_: Round, **kwargs):
        # The list opens on the submitted applications; "Any status" (an empty value) shows them all.
        if data is not None and "status" not in data:
            data = data.copy()
            data["status"] = Application.Status.SUBMITTED
        super().__init__(data, *args, queryset=submission_rows(round_), **kwargs)
        self.filters["category"].extra["choices"] = list(
            FundingCategory.objects.filter(round=round_)
            .order_by("position", "-maximum_award")
            .values_list("pk", "name")
        )
        self.filters["region"].extra["choices"] = list(Region.objects.values_list("pk", "name"))

    def filter_sector(self, queryset, name, value):
        return queryset.filter(Exists(ProgramOfStudy.objects.filter(application=OuterRef("pk"), sector=value)))

    def filter_search(self, queryset, name, value):
        words = value.split()
        for word in words:
            queryset = queryset.filter(
                Q(number__icontains=word)
                | Q(title__icontains=word)
                | Q(consortium__name__icontains=word)
                | Q(consortium__lead_agency__name__icontains=word)
            )
        return queryset
