"""Consortia with their members: program staff see every consortium, a contact the consortia they speak for."""

from django.db.models import Prefetch
from django_filters import rest_framework as filters
from rest_framework import mixins

from consortia.models import Consortium, Membership

from ..serializers.consortia import ConsortiumSerializer
from .common import SiteRuled


class ConsortiumFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Consortium
        fields = ["name", "region"]


class ConsortiumViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    serializer_class = ConsortiumSerializer
    filterset_class = ConsortiumFilter
    ordering_fields = ["id", "name", "updated_at"]
    ordering = ["name"]
    perm = "consortia.view_consortium"

    def base_queryset(self):
        members = Membership.objects.select_related("organization__county").order_by("organization__name")
        return Consortium.objects.select_related("region").prefetch_related(
            "counties_served", Prefetch("memberships", queryset=members)
        )

    def visible(self, queryset):
        return queryset.visible_to(self.request.user)
