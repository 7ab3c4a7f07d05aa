"""Indicator definitions with their versions (program staff, who read them in the site; a consortium finds what its
report asks for on the report), and the values reports hold: program staff every value, a lead agency's contacts
every member's values of their consortia's reports, a data manager their own organizations' (as the site's report
pages show them)."""

from django.db.models import Q
from django_filters import rest_framework as filters
from rest_framework import mixins

from consortia.models import Consortium, Contact
from consortia.rules import contact_role, spoken_for
from grants.reporting.models import DataManager, Indicator, ReportValue

from ..conditional import modified_since
from ..permissions import authorize
from ..serializers.indicators import IndicatorSerializer, ValueSerializer
from .common import SiteRuled


class IndicatorFilter(filters.FilterSet):
    class Meta:
        model = Indicator
        fields = ["program", "code"]


class IndicatorViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["id", "code", "position"]
    ordering = ["program_id", "position", "code"]

    def base_queryset(self):
        return Indicator.objects.select_related("program").prefetch_related("versions")

    def visible(self, queryset):
        return queryset if self.request.user.has_perm("reporting.view_indicators") else queryset.none()

    def get_object(self):
        indicator = super().get_object()
        authorize(self.request, "reporting.view_indicators", indicator.program)
        return indicator


class ValueFilter(filters.FilterSet):
    award = filters.NumberFilter(field_name="report__award")
    period = filters.CharFilter(field_name="report__period")
    indicator = filters.CharFilter(field_name="indicator__code")
    modified_since = modified_since("entered_at")

    class Meta:
        model = ReportValue
        fields = ["report", "award", "period", "organization", "indicator", "breakdown"]


def visible_values(user, queryset):
    """The values the site's report pages show the person: every value to program staff, every member's to the
    consortium's lead agency contacts (`reporting.view_member_values`), a data manager's own organizations' to them."""
    if user.has_perm("reporting.view_every_report"):
        return queryset
    leads = [pk for pk in spoken_for(user) if contact_role(user, Consortium(pk=pk)) == Contact.Role.LEAD]
    shown = Q(report__award__consortium_id__in=leads)
    for consortium_id, organization_id in DataManager.objects.filter(user=user).values_list(
        "consortium_id", "organization_id"
    ):
        shown |= Q(report__award__consortium_id=consortium_id, organization_id=organization_id)
    return queryset.filter(shown)


class ValueViewSet(mixins.ListModelMixin, SiteRuled):
    """Every member organization's values of the reports the person may read, under the version each was entered
    under; `?modified_since=` (when entered) for a pull of what changed."""

    serializer_class = ValueSerializer
    filterset_class = ValueFilter
    ordering_fields = ["id", "entered_at"]
    ordering = ["id"]

    def base_queryset(self):
        return ReportValue.objects.select_related("indicator", "version", "report")

    def visible(self, queryset):
        return visible_values(self.request.user, queryset)
