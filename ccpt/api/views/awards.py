"""Awards with their schedule, payments and ledger: program staff see every award, a consortium's contacts their
own (as the site's "my awards"). `?modified_since=` and ETag/Last-Modified let a nightly pull fetch what changed."""

from django_filters import rest_framework as filters
from rest_framework import mixins

from consortia.rules import spoken_for
from grants.awards.models import Award

from ..conditional import ConditionalRetrieve, modified_since
from ..serializers.awards import AwardSerializer
from .common import SiteRuled


class AwardFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Award.Status.choices)
    modified_since = modified_since()

    class Meta:
        model = Award
        fields = ["round", "consortium", "status", "number", "start_year"]


class AwardViewSet(ConditionalRetrieve, mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    serializer_class = AwardSerializer
    filterset_class = AwardFilter
    ordering_fields = ["id", "number", "offered_at", "updated_at", "amount"]
    ordering = ["number"]
    perm = "awards.view_award"

    def base_queryset(self):
        return Award.objects.select_related("consortium").prefetch_related(
            "instalments", "payments", "recoveries", "holds"
        )

    def visible(self, queryset):
        user = self.request.user
        if user.has_perm("awards.view_award"):  # asked of no award: program staff, who see every award
            return queryset
        return queryset.filter(consortium_id__in=spoken_for(user))
