from django.contrib import admin

from ccpt.lib.admin import ReadOnlyAdmin

from .models import Job


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """The record of background work; staff retry failed work in the site (System health), not here."""

    list_display = ["__str__", "state", "attempts", "created_at", "finished_at", "last_error"]
    list_filter = ["state", "task"]
    date_hierarchy = "created_at"
