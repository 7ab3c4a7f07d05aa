"""Applications: program staff see all, a consortium's contacts their own (Application.objects.visible_to, as the
site's lists). Readers read applications through their assignments in the site's review workspace only: the API
shows them none. Results (scores, ranks) only where the site shows them (serializers/applications.py)."""

from django_filters import rest_framework as filters
from rest_framework import mixins

from grants.applications.models import Application, long_texts

from ..conditional import modified_since
from ..serializers.applications import ApplicationSerializer
from .common import SiteRuled


class ApplicationFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Application.Status.choices)
    modified_since = modified_since()

    class Meta:
        model = Application
        fields = ["round", "consortium", "category", "status", "number"]


class ApplicationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilter
    ordering_fields = ["id", "number", "submitted_at", "updated_at", "requested_amount"]
    ordering = ["number"]
    perm = "applications.view_application"

    def base_queryset(self):
        return Application.objects.select_related("round", "score", "consortium").defer(*long_texts())

    def visible(self, queryset):
        return queryset.visible_to(self.request.user)
