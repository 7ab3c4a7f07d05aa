"""Consortia: their members and contacts, and the invitations that bring people in."""

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .organizations import County, Organization, Region
from .people import INVITATION_LIFETIME, User


class ConsortiumQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("consortia.view_every_consortium"):
            return self
        from consortia.rules import spoken_for  # the rules read these models

        return self.filter(pk__in=spoken_for(user))


class Consortium(models.Model):
    name = models.CharField(max_length=200, unique=True)
    lead_agency = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="led_consortia",
        help_text="The fiscal agent that applies on the consortium's behalf.",
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="consortia")
    counties_served = models.ManyToManyField(County, related_name="consortia", blank=True)
    labor_market_region = models.TextField(
        "labor-market region",
        blank=True,
        help_text="Describe the regional labor market the consortium serves, in your own words.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsortiumQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[counties_served])

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "consortia"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("consortia:detail", args=[self.pk])

    def clean(self):
        if self.lead_agency_id and (problem := self.lead_agency.lead_eligibility_problem):
            raise ValidationError({"lead_agency": problem})

    def member_kinds(self, of_members: Iterable[str] | None = None) -> set[str]:
        """Kinds of every organization in the consortium, the lead agency included; `of_members`: the members' kinds
        when the caller read them already (grants.applications.services.eligibility.checked), else a query."""
        if of_members is None:
            of_members = self.memberships.values_list("organization__kind", flat=True)
        kinds = set(of_members)
        if self.lead_agency_id:
            kinds.add(self.lead_agency.kind)
        return kinds

    def composition_checklist(self, of_members: Iterable[str] | None = None) -> list:
        """`of_members`: the members' kinds when the caller read them already, as for member_kinds."""
        from consortia.composition import checklist

        return checklist(self.member_kinds(of_members))


class Membership(models.Model):
    class Role(models.TextChoices):
        K12 = "k12", "K-12 partner"
        POSTSECONDARY = "postsecondary", "Postsecondary partner"
        BUSINESS = "business", "Business partner"
        WORKFORCE = "workforce", "Workforce partner"
        OTHER = "other", "Other partner"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices)
    joined_on = models.DateField(default=timezone.localdate)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["consortium", "organization"],
                name="membership_unique",
                violation_error_message="This organization is already a member of the consortium.",
            ),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()}) in {self.consortium}"

    @classmethod
    def role_for(cls, kind: str) -> str:
        """The usual role for an organization of this kind."""
        if kind in Organization.K12_KINDS:
            return cls.Role.K12
        return {
            Organization.Kind.COMMUNITY_COLLEGE: cls.Role.POSTSECONDARY,
            Organization.Kind.BUSINESS: cls.Role.BUSINESS,
            Organization.Kind.WORKFORCE_BOARD: cls.Role.WORKFORCE,
        }.get(kind, cls.Role.OTHER)


class Contact(models.Model):
    """A person who acts for a consortium in the site. Lead contacts manage it and submit applications."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead agency staff"
        PARTNER = "partner", "Partner staff"

    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="contacts")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="contacts")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.PARTNER)
    added_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["role", "user__last_name", "user__email"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "user"], name="contact_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()}, {self.consortium})"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, created_at__gt=timezone.now() - INVITATION_LIFETIME
        )


class Invitation(models.Model):
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="The member organization the person works for.",
    )
    role = models.CharField(max_length=10, choices=Contact.Role.choices, default=Contact.Role.PARTNER)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation of {self.email} to {self.consortium}"

    def get_absolute_url(self):
        return reverse("consortia:accept-invitation", args=[self.token])

    @property
    def expires_at(self):
        return self.created_at + INVITATION_LIFETIME

    @property
    def is_usable(self) -> bool:
        return not self.accepted_at and not self.revoked_at and timezone.now() < self.expires_at
