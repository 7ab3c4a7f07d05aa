"""Funding decisions: plans, awards and their payments, the set-aside ledger, and notices."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from ccpt.lib.dates import fiscal_years, format_date
from ccpt.lib.money import format_money, money_field
from ccpt.lib.once import click_token_field
from consortia.models import Consortium
from grants.applications.models import Application
from grants.programs.models import FundingCategory, Round


class FundingPlan(models.Model):
    """Staff's proposal of which applications to fund, in rank order within the money.

    Staff change a draft and submit it with a note; an administrator approves it or returns it to staff (a draft
    again) with comments. The notes and comments are on the plan's status history (grants/awards/transitions.py).
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted for approval"
        APPROVED = "approved", "Approved"
        SUPERSEDED = "superseded", "Superseded"

    class LastApplication(models.TextChoices):
        PARTIAL = "partial", "Fund the last application partially"
        SKIP = "skip", "Skip to the next application that fits"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="funding_plans")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    last_application = models.CharField(
        "when the money runs short", max_length=10, choices=LastApplication.choices, default=LastApplication.SKIP
    )
    minimum_partial = money_field(
        "smallest partial award", default=Decimal("0.00"), help_text="A partial award below this is not offered."
    )
    # {"<region id>": <minimum number of grants>}
    region_minimums = models.JSONField(default=dict, blank=True)
    total = money_field(default=Decimal("0.00"), editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round"], condition=Q(status="approved"), name="one_approved_plan_per_round"
            )
        ]

    def __str__(self):
        return f"Funding plan for {self.round} ({self.get_status_display()})"


class PlanLine(models.Model):
    plan = models.ForeignKey(FundingPlan, on_delete=models.CASCADE, related_name="lines")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="plan_lines")
    category = models.ForeignKey(FundingCategory, on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField(null=True)
    requested = money_field()
    amount = money_field(default=Decimal("0.00"), validators=[MinValueValidator(Decimal("0.00"))])
    funded = models.BooleanField(default=False)
    explanation = models.TextField(blank=True)
    # Staff changes on top of the computed plan, kept across recomputation.
    override_amount = money_field(null=True, blank=True)
    override_funded = models.BooleanField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan_id", "category__position", "rank"]
        constraints = [models.UniqueConstraint(fields=["plan", "application"], name="plan_line_unique")]

    def __str__(self):
        return f"{self.application.number}: {self.amount}"


class Award(models.Model):
    class Status(models.TextChoices):
        OFFERED = "offered", "Offered"
        ACCEPTED = "accepted", "Accepted"
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"
        DECLINED = "declined", "Declined"
        WITHDRAWN = "withdrawn", "Withdrawn"
        RECOVERED = "recovered", "Funds recovered"

    # Statuses whose amount counts against the round and the program.
    COMMITTING = (Status.OFFERED, Status.ACCEPTED, Status.ACTIVE, Status.CLOSED)

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="awards")
    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="award")
    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="awards")
    category = models.ForeignKey(FundingCategory, on_delete=models.PROTECT, related_name="awards")
    plan = models.ForeignKey(FundingPlan, on_delete=models.PROTECT, related_name="awards")
    number = models.CharField("award number", max_length=30, unique=True)
    amount = money_field(validators=[MinValueValidator(Decimal("0.01"))])
    start_year = models.PositiveSmallIntegerField("grant period starts in fiscal year")
    years = models.PositiveSmallIntegerField("grant period (fiscal years)")
    conditions = models.TextField(blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OFFERED)
    offered_at = models.DateTimeField()
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    # When it, its schedule or its payments last changed (ccpt/api/changes.py): the API's ?modified_since=.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "number"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="award_amount_positive")]

    def __str__(self):
        return f"{self.number} {self.consortium}: {format_money(self.amount)}"

    @property
    def fiscal_years(self) -> list[str]:
        return fiscal_years(self.start_year, self.years)


class Instalment(models.Model):
    """One payment of an award's schedule; front-loading is allowed."""

    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="instalments")
    fiscal_year = models.CharField(max_length=7)
    amount = money_field(validators=[MinValueValidator(Decimal("0.00"))])
    due_on = models.DateField(null=True, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["award_id", "fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["award", "fiscal_year"], name="instalment_per_year")]

    def __str__(self):
        return f"{self.award.number} {self.fiscal_year}: {format_money(self.amount)}"


class Amendment(models.Model):
    award = models.ForeignKey(Award, on_delete=models.CASCADE, related_name="amendments")
    old_amount = money_field()
    new_amount = money_field()
    old_start_year = models.PositiveSmallIntegerField()
    new_start_year = models.PositiveSmallIntegerField()
    old_years = models.PositiveSmallIntegerField()
    new_years = models.PositiveSmallIntegerField()
    reason = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["award_id", "at"]

    def __str__(self):
        return f"{self.award.number} amended {format_date(self.at)}"


class Notice(models.Model):
    """An award or decline notice to a consortium, sent exactly once (per idempotency key)."""

    class Kind(models.TextChoices):
        AWARD = "award", "Award notice"
        DECLINE = "decline", "Decline notice"

    class Delivery(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="notices")
    award = models.ForeignKey(Award, on_delete=models.PROTECT, null=True, blank=True, related_name="notices")
    idempotency_key = models.CharField(max_length=100, unique=True)
    recipients = models.JSONField(default=list)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # An award notice sent while this server could not make PDFs: it went on time, saying where to download the
    # letter, and staff may resend it once PDFs work.
    without_letter = models.BooleanField("sent without the award letter", default=False)
    resend_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="resends")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    resend_reason = models.TextField(blank=True)
    # The one-time token of the form that asked for this resend: the same click posted twice resends once.
    click_token = click_token_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["application_id", "queued_at"]
        indexes = [models.Index(fields=["delivery"])]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.application.number} ({self.get_delivery_display()})"
