"""The reader pool as program staff keep it: each reader's expertise and status, invitations to read, and each
reader's own maximum of applications in a round.

Affiliations (which organizations a reader works for) stay in consortia.Affiliation, so that every conflict check
(grants.reviews.services.conflicts, scoring's in_conflict) sees those staff record here. Who is a reader stays the
Readers group; a deactivated reader keeps their account, group and submitted reviews, and is only left out of
assigning (services.assignment.reader_pool).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from consortia.models import Organization
from consortia.models.people import INVITATION_LIFETIME
from grants.applications.sectors import Sector
from grants.programs.models import Round


class ReaderProfile(models.Model):
    """What staff know of one reader beyond their account: expertise, and whether they are asked to read."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_profile")
    expertise = models.TextField("expertise (free text)", blank=True)
    deactivated_at = models.DateTimeField(null=True, blank=True)
    deactivated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deactivation_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(deactivated_at__isnull=True) | ~Q(deactivation_reason=""),
                name="reader_deactivation_has_reason",
            )
        ]

    def __str__(self):
        return f"Reader profile of {self.user}"

    @property
    def is_active(self) -> bool:
        return self.deactivated_at is None


class ReaderSector(models.Model):
    """A CTE industry sector a reader knows (the sectors applications' programs of study name)."""

    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_sectors")
    sector = models.CharField(max_length=30, choices=Sector.choices)

    class Meta:
        ordering = ["reader_id", "sector"]
        constraints = [models.UniqueConstraint(fields=["reader", "sector"], name="reader_sector_once")]

    def __str__(self):
        return self.get_sector_display()


class ReaderLoadCap(models.Model):
    """The most applications one reader reads in one round, set by staff (none: the run's maximum, if any)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="reader_load_caps")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="load_caps")
    maximum = models.PositiveSmallIntegerField()
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "reader"], name="reader_load_cap_once_per_round"),
            models.CheckConstraint(condition=Q(maximum__gte=1), name="reader_load_cap_at_least_one"),
        ]

    def __str__(self):
        return f"{self.reader} reads at most {self.maximum} in {self.round}"


def _new_token() -> str:
    return secrets.token_urlsafe(32)


class ReaderInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, issued_at__gt=timezone.now() - INVITATION_LIFETIME
        )


class ReaderInvitation(models.Model):
    """Staff ask someone to read: accepting it creates or links their account and puts it in the Readers group, with
    the affiliations and expertise staff entered. The link works for 14 days from when it was (last) sent."""

    email = models.EmailField()
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    organizations = models.ManyToManyField(Organization, blank=True, related_name="+")
    sectors = models.JSONField(default=list, blank=True)
    expertise = models.TextField(blank=True)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ReaderInvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]

    def __str__(self):
        return f"Invitation of {self.email} to read"

    def get_absolute_url(self):
        return reverse("reviews:reader-invitation-accept", args=[self.token])

    @property
    def expires_at(self):
        return self.issued_at + INVITATION_LIFETIME

    @property
    def is_usable(self) -> bool:
        return not self.accepted_at and not self.revoked_at and timezone.now() < self.expires_at

    @property
    def sector_labels(self) -> list[str]:
        return [Sector(s).label for s in self.sectors if s in Sector.values]
