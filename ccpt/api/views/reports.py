"""Progress reports: read as the site shows them; a consortium enters values and answers of its own open reports and
its lead agency submits them; program staff accept or return submitted ones. Every write calls the site's own
services (grants/reporting/services) with the site's rules, and is in the audit trail with the token."""

from django.db.models import Q
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ccpt.audit.models import Event
from ccpt.audit.services import record
from consortia.rules import spoken_for
from grants.reporting.models import DataManager, ProgressReport
from grants.reporting.services import reports, review
from grants.reporting.services import values as entering

from ..conditional import ConditionalRetrieve, modified_since
from ..permissions import authorize
from ..serializers import reports as shapes
from .common import SiteRuled


class ReportFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=ProgressReport.Status.choices)
    modified_since = modified_since()

    class Meta:
        model = ProgressReport
        fields = ["award", "status", "period"]


class ReportViewSet(ConditionalRetrieve, mixins.ListModelMixin, mixins.RetrieveModelMixin, SiteRuled):
    filterset_class = ReportFilter
    ordering_fields = ["id", "due_at", "updated_at", "submitted_at"]
    ordering = ["due_at", "id"]
    perm = "reporting.view_report"
    http_method_names = ["get", "head", "options", "patch", "post"]

    def base_queryset(self):
        return ProgressReport.objects.select_related("award__consortium", "award__round")

    def visible(self, queryset):
        user = self.request.user
        if user.has_perm("reporting.view_every_report"):
            return queryset
        managed = DataManager.objects.filter(user=user).values("consortium_id")
        return queryset.filter(Q(award__consortium_id__in=spoken_for(user)) | Q(award__consortium_id__in=managed))

    def get_serializer_class(self):
        return shapes.ReportDetailSerializer if self.action == "retrieve" else shapes.ReportSerializer

    def get_object(self):
        report = super().get_object()
        if self.action == "retrieve":
            report.asks = reports.report_versions(report)
        return report

    @extend_schema(request=shapes.NarrativeSerializer, responses=shapes.ReportSerializer)
    def partial_update(self, request, pk=None):
        """Change the report's answers in words (its lead agency, while it is open)."""
        report = self.get_object()
        authorize(request, "reporting.submit_report", report)
        answers = _valid(shapes.NarrativeSerializer, request.data)
        entering.enter_values(report=report, entries=[], by=request.user, allowed=set(), narrative=answers)
        record(Event.Action.DATA_ENTRY, by=request.user, obj=report, summary=f"Answers changed: {', '.join(answers)}")
        report.refresh_from_db()
        return Response(shapes.ReportSerializer(report).data)

    @extend_schema(request=shapes.EntriesSerializer, responses=shapes.EntryOutcomeSerializer)
    @action(detail=True, methods=["post"])
    def values(self, request, pk=None):
        """Enter member organizations' values (create or change; all three of value, numerator and denominator
        empty clears one). Saved all together or not at all: any bad value is named in `errors` by
        "<organization>:<indicator>:<breakdown>"."""
        report = self.get_object()
        authorize(request, "reporting.enter_values", report)
        entries = _valid(shapes.EntriesSerializer, request.data)["values"]
        full = request.user.has_perm("reporting.view_member_values", report)
        allowed = {organization.pk for organization in reports.organizations_for(request.user, report, full=full)}
        outcome = entering.enter_values(
            report=report, entries=[_entry(item) for item in entries], by=request.user, allowed=allowed, atomic=True
        )
        if outcome.problems:
            return Response(
                {"detail": "Nothing was saved: correct these values.", "errors": outcome.problems}, status=400
            )
        record(
            Event.Action.DATA_ENTRY,
            by=request.user,
            obj=report,
            summary=f"Values entered: {outcome.saved} saved, {outcome.cleared} cleared",
        )
        return Response({"saved": outcome.saved, "cleared": outcome.cleared})

    @extend_schema(request=None, responses=shapes.ReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit the report as it stands (its lead agency): a 400 says what is missing."""
        report = self.get_object()
        authorize(request, "reporting.submit_report", report)
        review.submit(report=report, by=request.user)
        return Response(shapes.ReportSerializer(report).data)

    @extend_schema(request=shapes.DecisionSerializer, responses=shapes.ReportSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept a submitted report (program staff)."""
        report = self.get_object()
        authorize(request, "reporting.review_report", report)
        decision = _valid(shapes.DecisionSerializer, request.data)
        review.accept_report(report=report, by=request.user, comment=decision["comment"])
        return Response(shapes.ReportSerializer(report).data)

    @extend_schema(request=shapes.ReturnSerializer, responses=shapes.ReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_for_changes(self, request, pk=None):
        """Return a submitted report for changes (program staff), with an overall comment and comments on its
        items (an answer, or a member's value of an indicator), as the site's review does."""
        report = self.get_object()
        authorize(request, "reporting.review_report", report)
        decision = _valid(shapes.ReturnSerializer, request.data)
        latest = report.versions.order_by("-number").first()
        labels = dict(review.items_to_comment(latest)) if latest else {}
        unknown = [entry["item"] for entry in decision["items"] if entry["item"] not in labels]
        if unknown:
            raise ValidationError({"items": [f"Not an item of the report's latest version: {', '.join(unknown)}."]})
        comments: dict[str, tuple[str, str]] = {}
        for entry in decision["items"]:
            earlier = comments.get(entry["item"], ("", ""))[1]
            comments[entry["item"]] = (labels[entry["item"]], f"{earlier}\n{entry['comment']}".strip())
        review.return_report(report=report, by=request.user, comment=decision["comment"], item_comments=comments)
        return Response(shapes.ReportSerializer(report).data)


def _valid(serializer_class, data) -> dict:
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _text(number) -> str:
    return "" if number is None else str(number)


def _entry(item: dict) -> entering.Entry:
    return entering.Entry(
        organization_id=str(item["organization"]),
        code=item["indicator"],
        breakdown=item.get("breakdown", ""),
        value=_text(item.get("value")),
        numerator=_text(item.get("numerator")),
        denominator=_text(item.get("denominator")),
    )
