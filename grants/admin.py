"""The record of status changes in the Django admin: read-only, it is evidence."""

from django.contrib import admin

from ccpt.lib.admin import ReadOnlyAdmin
from grants.models import StatusChange


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    """The record of status changes: read-only, it is evidence."""

    list_display = ["at", "content_type", "object_id", "from_status", "to_status", "by"]
    list_filter = ["content_type", "to_status"]
    search_fields = ["reason", "by__email"]
    date_hierarchy = "at"
    list_select_related = ["content_type", "by"]
