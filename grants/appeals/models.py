"""Appeals: after a round's results are published, a consortium's lead contact may ask staff to look again.

A round's appeal settings live here, in a model of this app one-to-one with the round, not as columns of
programs.Round: programs sits below reviews and awards and must not know of appeals (imports run one way), and a
round that never takes appeals carries nothing. A round without settings takes no appeals.

An appeal is filed (grounds from the round's list, a statement, evidence files checked by content), then decided
by staff with reasons: upheld, with a remedy, or denied. Its grounds are copied as text when filed, so that
editing the round's list later never changes what an appeal said.
"""

import uuid
from datetime import datetime, time, timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ccpt.lib.dates import PACIFIC, pacific
from ccpt.lib.once import click_token_field
from grants.applications.models import Application
from grants.programs.models import Round

DEFAULT_GROUNDS = "Procedural error\nConflict of interest not declared\nScoring error against the published rubric"


class AppealSettings(models.Model):
    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="appeal_settings")
    takes_appeals = models.BooleanField("the round takes appeals", default=True)
    window_days = models.PositiveSmallIntegerField(
        "appeal window (days after results are published)",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Appeals are accepted until the end of this day after publication, Pacific time.",
    )
    grounds = models.TextField(
        "grounds for appeal", default=DEFAULT_GROUNDS, help_text="One ground a line; applicants choose from them."
    )
    independent_decider = models.BooleanField(
        "the decision is made by someone who took no part in the original decision",
        default=True,
        help_text="Not one of the application's readers, nor who reconciled its scores or approved its funding plan.",
    )

    class Meta:
        verbose_name_plural = "appeal settings"

    def __str__(self):
        return f"Appeal settings of {self.round}"

    @property
    def grounds_list(self) -> list[str]:
        return [line.strip() for line in self.grounds.splitlines() if line.strip()]

    def deadline(self, published_at: datetime) -> datetime:
        """The first moment appeals are no longer accepted: midnight Pacific time at the end of the window's last day
        (the day of publication is day 0), whatever the daylight-saving changes in between."""
        last_day = pacific(published_at).date() + timedelta(days=self.window_days)
        return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=PACIFIC)

    def last_day(self, published_at: datetime):
        return pacific(published_at).date() + timedelta(days=self.window_days)


class Appeal(models.Model):
    class Status(models.TextChoices):
        FILED = "filed", "Filed"
        UPHELD = "upheld", "Upheld"
        DENIED = "denied", "Denied"

    class Remedy(models.TextChoices):
        NONE = "", "None"
        NEW_READING = "new_reading", "Re-open the review: a new reading is needed"
        FUNDING = "funding", "Eligible for funding: the funding plan may add it from the money left"

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="appeals")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.FILED)
    grounds = models.JSONField(default=list)
    statement = models.TextField()
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField()
    decision = models.TextField(blank=True)
    remedy = models.CharField(max_length=12, choices=Remedy.choices, blank=True, default=Remedy.NONE)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)
    click_token = click_token_field()
    # An upheld appeal whose remedy is a new reading: re-opened from decided_at until staff close the re-reading,
    # which records the re-read score (grants.reviews.services.rereading.rescore) and the score it replaces.
    rereading_closed_at = models.DateTimeField(null=True, blank=True)
    rereading_closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    rereading_readers = models.PositiveSmallIntegerField(null=True, blank=True)
    rereading_final = models.DecimalField("re-read score", max_digits=8, decimal_places=2, null=True, blank=True)
    rereading_rank = models.PositiveIntegerField(null=True, blank=True)
    rereading_ranked = models.PositiveIntegerField(null=True, blank=True)
    rereading_fundable = models.BooleanField(null=True, blank=True)
    previous_final = models.DecimalField("published score", max_digits=8, decimal_places=2, null=True, blank=True)
    previous_rank = models.PositiveIntegerField(null=True, blank=True)
    rereading_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"],
                condition=Q(status="filed"),
                name="appeal_one_open_per_application",
                violation_error_message="This application has an open appeal already.",
            ),
            models.CheckConstraint(
                condition=(Q(status="filed") & Q(decided_at__isnull=True) & Q(remedy=""))
                | (Q(status="denied") & Q(decided_at__isnull=False) & ~Q(decision="") & Q(remedy=""))
                | (Q(status="upheld") & Q(decided_at__isnull=False) & ~Q(decision="") & ~Q(remedy="")),
                name="appeal_decision_complete",
                violation_error_message="A decision has its reasons and time; an upheld appeal has its remedy.",
            ),
        ]

    def __str__(self):
        return f"Appeal on {self.application.number}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:appeal", args=[self.pk])

    @property
    def is_new_reading(self) -> bool:
        return self.status == self.Status.UPHELD and self.remedy == self.Remedy.NEW_READING

    @property
    def rereading_open(self) -> bool:
        return self.is_new_reading and self.rereading_closed_at is None


def evidence_path(instance: "Evidence", filename: str) -> str:
    # A random name: the original is kept in the record, never trusted as a path.
    return f"appeals/{instance.appeal.application_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Evidence(models.Model):
    """A file filed with an appeal, checked by content as an application's attachments are."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["appeal_id", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self):
        return self.original_name
