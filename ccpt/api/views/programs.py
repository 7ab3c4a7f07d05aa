"""Programs and their rounds, for anyone (no token needed): every round but drafts, which only program staff see."""

from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins

from grants.programs.models import Program, Round

from ..serializers.programs import OpportunitySerializer, ProgramSerializer
from .common import SiteRuled


class ProgramFilter(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains")

    class Meta:
        model = Program
        fields = ["name"]


# No token needed (or any token with the read scope).
PUBLIC = extend_schema_view(
    list=extend_schema(auth=[{"token": []}, {}]), retrieve=extend_schema(auth=[{"token": []}, {}])
)


@PUBLIC
class ProgramViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    public = True
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilter
    ordering_fields = ["id", "name"]
    ordering = ["name"]

    def base_queryset(self):
        return Program.objects.all()


class RoundFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Round.Status.choices)
    open = filters.BooleanFilter(method="accepting", help_text="Only rounds accepting applications now (or not).")

    class Meta:
        model = Round
        fields = ["program", "status", "kind"]

    def accepting(self, queryset, name, value):
        now = timezone.now()
        accepting = Q(status=Round.Status.OPEN, opens_at__lte=now, closes_at__gt=now)
        return queryset.filter(accepting) if value else queryset.exclude(accepting)


@PUBLIC
class RoundViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    """Rounds as CommonGrants opportunities, with their rules in customFields."""

    public = True
    serializer_class = OpportunitySerializer
    filterset_class = RoundFilter
    ordering_fields = ["id", "opens_at", "closes_at", "name"]
    ordering = ["-opens_at", "id"]

    def base_queryset(self):
        rounds = Round.objects.prefetch_related("categories", "criteria")
        if not self.request.user.has_perm("programs.view_draft_rounds"):
            rounds = rounds.exclude(status=Round.Status.DRAFT)
        return rounds
