from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kind", "county", "code", "is_direct_funded"]
    list_filter = ["kind", "is_direct_funded", "county"]
    search_fields = ["name", "code"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organization"]


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Consortium)
class ConsortiumAdmin(SimpleHistoryAdmin):
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
