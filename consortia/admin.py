from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.admin import ModelPermissions

from . import services
from .models import Affiliation, Consortium, Contact, County, Invitation, Membership, Organization, Region, User


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    autocomplete_fields = ["organization"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "is_staff", "last_login"]
    list_filter = ["groups", "is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "first_name", "last_name", "affiliations__organization__name"]
    inlines = [AffiliationInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "title")}),
        ("Roles", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def save_related(self, request, form, formsets, change):
        """Roles are changed on the site's People page; when the back office changes them anyway (giving the first
        administrator their role, say), the audit trail records it like any other role change."""
        person = form.instance
        before = services.roles_text(set(person.groups.values_list("name", flat=True)))  # not saved yet
        super().save_related(request, form, formsets, change)
        after = services.roles_text(set(person.groups.values_list("name", flat=True)))
        changes = [f"Roles: {before} → {after}"] if change and before != after else []
        for flag in ("is_active", "is_staff", "is_superuser"):
            if change and flag in form.changed_data:
                changes.append(f"{form.fields[flag].label}: {'yes' if getattr(person, flag) else 'no'}")
        if changes:
            summary = f"{'; '.join(changes)} (in the back office)"
            record(Event.Action.ROLE_CHANGE, by=request.user, obj=person, summary=summary)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(ModelPermissions, SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "county", "cds_code", "ein", "code", "is_direct_funded"]
    list_filter = ["kind", "is_direct_funded", "county"]
    search_fields = ["name", "cds_code", "ein", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Consortium)
class ConsortiumAdmin(ModelPermissions, SimpleHistoryAdmin):
    list_display = ["name", "lead_agency", "region", "updated_at"]
    list_filter = ["region", "lead_agency__kind", "counties_served"]
    search_fields = ["name", "lead_agency__name", "memberships__organization__name"]
    autocomplete_fields = ["lead_agency"]
    filter_horizontal = ["counties_served"]
    inlines = [MembershipInline, ContactInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "consortium", "role", "created_at", "sent_at", "accepted_at"]
    list_filter = ["role", "sent_at", "accepted_at"]
    search_fields = ["email", "consortium__name"]
    readonly_fields = ["token", "sent_at", "accepted_at", "accepted_by"]
