"""Program staff's list of progress reports: by round, and by the consortium or award they search for."""

import django_filters
from django import forms
from django.db.models import Q

from grants.programs.models import Round

from .models import ProgressReport


class ReportFilter(django_filters.FilterSet):
    # Plain choices filled in __init__ (one query for the options; a chosen value is checked against them).
    round = django_filters.ChoiceFilter(
        label="Round",
        field_name="award__round",
        empty_label="Any round",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    q = django_filters.CharFilter(
        label="Consortium or award number",
        method="filter_search",
        widget=forms.TextInput(attrs={"class": "form-control", "type": "search"}),
    )

    class Meta:
        model = ProgressReport
        fields = ["round", "q"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        rounds = Round.objects.filter(awards__progress_reports__isnull=False).distinct().order_by("-opens_at")
        self.filters["round"].extra["choices"] = [(r.pk, r.name) for r in rounds]

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(award__consortium__name__icontains=value) | Q(award__number__icontains=value))
