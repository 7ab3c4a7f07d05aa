"""The audit trail's filters: who, what, which kind of object, when (Pacific dates), from where, and words."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef, Q

from ccpt.lib.dates import PACIFIC, format_date
from ccpt.lib.forms import CleanInput

from .models import Event


class EventFilterForm(CleanInput, forms.Form):
    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and until < since:
            self.add_error("until", f"The end date is before the start date ({format_date(since)}).")
        return cleaned


def _pacific_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=PACIFIC)


def _kinds() -> list[tuple[int, str]]:
    """The kinds of object the trail mentions: one probe of the (content type, object) index per kind."""
    kinds = ContentType.objects.filter(Exists(Event.objects.filter(content_type=OuterRef("pk"))))
    return sorted(((kind.pk, kind.name.capitalize()) for kind in kinds), key=lambda choice: choice[1])


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
BAD_DATE = {"invalid": "Enter a date, for example 2026-12-01."}


class EventFilter(django_filters.FilterSet):
    who = django_filters.CharFilter(label="Who (email contains)", method="filter_who")
    action = django_filters.ChoiceFilter(label="What", choices=Event.Action.choices, empty_label="Any action")
    kind = django_filters.ChoiceFilter(label="Kind of object", field_name="content_type", empty_label="Any kind")
    since = django_filters.DateFilter(
        label="From (Pacific date)", method="filter_since", widget=DATE, error_messages=BAD_DATE
    )
    until = django_filters.DateFilter(
        label="To (Pacific date, included)", method="filter_until", widget=DATE, error_messages=BAD_DATE
    )
    address = django_filters.CharFilter(label="Address starts with", field_name="ip_address", lookup_expr="startswith")
    q = django_filters.CharFilter(label="Words in the summary or object", method="filter_words")

    class Meta:
        model = Event
        fields: list[str] = []
        form = EventFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, queryset=Event.objects.select_related("actor", "content_type"), **kwargs)
        self.filters["kind"].extra["choices"] = _kinds()

    @property
    def qs(self):
        """Nothing while a filter is wrong: an auditor must not read an unfiltered list as the filtered one."""
        if self.is_bound and not self.is_valid():
            return self.queryset.none()
        return super().qs

    def filter_who(self, queryset, name, value):
        return queryset.filter(Q(actor_label__icontains=value) | Q(actor__email__icontains=value))

    def filter_since(self, queryset, name, value):
        return queryset.filter(at__gte=_pacific_midnight(value))

    def filter_until(self, queryset, name, value):
        return queryset.filter(at__lt=_pacific_midnight(value + timedelta(days=1)))

    def filter_words(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(summary__icontains=word) | Q(object_label__icontains=word))
        return queryset
