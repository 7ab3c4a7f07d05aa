"""Applications in the Django admin: written by consortia on the site, read here."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ccpt.lib.admin import ModelPermissions, ReadOnlyAdmin

from .models import Application, Attachment, BudgetItem, LetterOfIntent, ScreeningCheck, Submission


@admin.register(LetterOfIntent)
class LetterOfIntentAdmin(admin.ModelAdmin):
    list_display = ["consortium", "round", "category", "filed_at", "filed_by"]
    list_filter = ["round"]
    search_fields = ["consortium__name", "notes"]
    list_select_related = ["consortium", "round", "category", "filed_by"]
    autocomplete_fields = ["consortium", "filed_by"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class BudgetItemInline(ReadOnlyInline):
    model = BudgetItem
    fields = ["fiscal_year", "object_code", "amount"]


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ["required_attachment", "original_name", "content_type", "size", "uploaded_by", "uploaded_at"]


class SubmissionInline(ReadOnlyInline):
    model = Submission
    fields = ["submitted_at", "submitted_by", "is_current", "screening", "checksum"]


@admin.register(Application)
class ApplicationAdmin(ModelPermissions, SimpleHistoryAdmin):
    """Applications are written by consortia on the site; the admin reads them."""

    list_display = ["number", "consortium", "round", "category", "status", "requested_amount", "submitted_at"]
    list_filter = ["round", "status", "category"]
    search_fields = ["number", "title", "consortium__name", "consortium__lead_agency__name"]
    list_select_related = ["consortium", "round", "category"]
    readonly_fields = ["number", "status", "requested_amount", "submitted_at", "created_by", "created_at"]
    autocomplete_fields = ["consortium"]
    inlines = [BudgetItemInline, AttachmentInline, SubmissionInline]

    def has_add_permission(self, request):
        return False


class ScreeningCheckInline(ReadOnlyInline):
    model = ScreeningCheck
    fields = ["label", "passed", "detail", "overridden_by", "overridden_at", "override_reason"]


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    """Submitted snapshots are evidence: read-only."""

    list_display = ["application", "submitted_at", "submitted_by", "is_current", "screening"]
    list_filter = ["screening", "is_current", "application__round"]
    search_fields = ["application__number", "application__consortium__name", "checksum"]
    list_select_related = ["application", "submitted_by"]
    date_hierarchy = "submitted_at"
    inlines = [ScreeningCheckInline]
