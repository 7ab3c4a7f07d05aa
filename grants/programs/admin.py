"""The Django admin for grants: a back office beside the site's own pages, with the same rules.

A round's rules are read-only here once it has opened, and status never changes here: both go through the
site (grants.workflow.transition), so that every status change is permission-checked and recorded.
"""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Sum
from simple_history.admin import SimpleHistoryAdmin

from ccpt.lib.admin import ModelPermissions
from ccpt.lib.forms import CleanInput
from ccpt.lib.money import format_money
from consortia.composition import Requirement

from .forms.rounds import LEAD_KIND_CHOICES
from .models import Appropriation, CompetitivePriority, Criterion, FundingCategory, Program, RequiredAttachment, Round


class AppropriationInline(admin.TabularInline):
    model = Appropriation
    extra = 0


@admin.register(Program)
class ProgramAdmin(ModelPermissions, SimpleHistoryAdmin):
    list_display = ["name", "administering_agency", "set_aside_percent", "appropriated"]
    search_fields = ["name", "legal_basis"]
    inlines = [AppropriationInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_appropriated=Sum("appropriations__amount"))

    @admin.display(description="Appropriated", ordering="_appropriated")
    def appropriated(self, program):
        return f"{format_money(program._appropriated or 0)}"


@admin.register(Appropriation)
class AppropriationAdmin(SimpleHistoryAdmin):
    list_display = ["source", "program", "fiscal_years", "amount"]
    list_filter = ["program", "fiscal_years"]
    search_fields = ["source", "description", "fiscal_years"]


class DraftOnlyInline(admin.TabularInline):
    """Rows of a round: editable while the round is a draft, read-only once it has opened."""

    extra = 0

    def _editable(self, obj):
        return obj is None or obj.status == Round.Status.DRAFT

    def has_add_permission(self, request, obj=None):
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._editable(obj) and super().has_delete_permission(request, obj)


class FundingCategoryInline(DraftOnlyInline):
    model = FundingCategory
    fields = ["name", "maximum_award", "planned_grants", "position"]


class CriterionInline(DraftOnlyInline):
    model = Criterion
    fields = ["name", "description", "max_points", "weight", "response_limit", "position"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}


class CompetitivePriorityInline(DraftOnlyInline):
    model = CompetitivePriority
    fields = ["name", "use", "bonus_points", "position"]


class RequiredAttachmentInline(DraftOnlyInline):
    model = RequiredAttachment
    fields = ["name", "description", "position"]


class RoundAdminForm(CleanInput, forms.ModelForm):
    eligible_lead_kinds = forms.MultipleChoiceField(
        label="Organizations that may lead an application",
        choices=LEAD_KIND_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )
    required_composition = forms.MultipleChoiceField(
        label="Consortium members this round requires",
        choices=Requirement.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Round
        fields = ["eligible_lead_kinds", "required_composition"]  # the admin adds the fieldsets' fields


@admin.register(Round)
class RoundAdmin(ModelPermissions, SimpleHistoryAdmin):
    form = RoundAdminForm
    list_display = ["name", "code", "program", "kind", "status", "opens_at", "closes_at", "funds_available"]
    list_filter = ["status", "kind", "program"]
    search_fields = ["name", "code", "description"]
    date_hierarchy = "opens_at"
    list_select_related = ["program"]
    readonly_fields = ["status", "copied_from", "created_at"]
    fieldsets = [
        (None, {"fields": ["program", "name", "code", "kind", "status", "description", "funds_available"]}),
        ("Dates (Pacific time)", {"fields": ["loi_deadline", "opens_at", "closes_at"]}),
        ("Grant period", {"fields": ["grant_start_year", "grant_years"]}),
        ("Eligibility", {"fields": ["eligible_lead_kinds", "required_composition", "match_percent"]}),
        (
            "Review",
            {"fields": ["readers_per_application", "discrepancy_threshold", "minimum_fundable_score"]},
        ),
        ("Record", {"fields": ["copied_from", "created_at"]}),
    ]
    inlines = [FundingCategoryInline, CriterionInline, CompetitivePriorityInline, RequiredAttachmentInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.status != Round.Status.DRAFT:
            return False  # its rules are frozen once it opens (shown read-only)
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != Round.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)
