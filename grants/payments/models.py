"""An award's life after acceptance (EC 53015: multi-year payment schedules, stopping payments, recovering funds):
its payments, holds and recoveries, what the grantee reports it spent against its approved budget, revisions of that
budget, and the program's settings for them.

Two invariants are the database's as well as the services': the non-cancelled payments of an award never add up to
more than its amount, and a payment is released, approved or paid only while its award is active (constraint
triggers, migrations/0002_payment_guards.py). The second approval is by another person than the one who released the
payment (a check constraint).

A budget revision is its own record (BudgetRevision and its lines) rather than an awards.Amendment row: an amendment
records a change of the award's amount or grant period, old and new, and the award page lists it as such; a budget
revision changes neither, only how one fiscal year's money is split among the object-code categories, so its lines
(each category's amount before and after) are what must be kept. Both stay on the record of the award.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from ccpt.lib.money import CENT, format_money, money_field
from ccpt.lib.once import click_token_field
from grants.applications.models import BudgetItem
from grants.awards.models import Award, Instalment
from grants.programs.models import Program

ObjectCode = BudgetItem.ObjectCode


class PaymentSettings(models.Model):
    """What a program decides about its payments and budgets; a program without a row has the defaults."""

    program = models.OneToOneField(Program, on_delete=models.CASCADE, related_name="payment_settings")
    second_approval_above = money_field(
        "second approval above",
        default=Decimal("1000000.00"),
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text="A payment of more than this needs an administrator's approval besides its release, by another "
        "person than the one who released it.",
    )
    revision_threshold_percent = models.DecimalField(
        "budget revision threshold (percent)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("10.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A budget revision that moves any category by more than this share of its approved amount needs "
        "program staff's approval; a smaller one applies at once.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "payment settings"

    def __str__(self):
        return f"Payment settings of {self.program}"


class Payment(models.Model):
    """One payment to an award's consortium, made from an instalment of its schedule (or added by staff, with a
    reason, outside it). Released when its condition is met, approved a second time when large, then paid."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        RELEASED = "released", "Released"
        APPROVED = "approved", "Approved (second approval)"
        PAID = "paid", "Paid"
        CANCELLED = "cancelled", "Cancelled"

    RELEASED_OR_LATER = (Status.RELEASED, Status.APPROVED, Status.PAID)
    AWAITING_PAYMENT = (Status.RELEASED, Status.APPROVED)

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="payments")
    # Empty for a payment staff added outside the schedule; set to empty if an amendment removes the instalment.
    instalment = models.OneToOneField(
        Instalment, on_delete=models.SET_NULL, null=True, blank=True, related_name="payment"
    )
    fiscal_year = models.CharField(max_length=7)
    amount = money_field(validators=[MinValueValidator(CENT)])
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    note = models.TextField(blank=True, help_text="Why staff added it outside the schedule.")
    created_at = models.DateTimeField(auto_now_add=True)
    # Released with the condition unmet: staff's written reason.
    condition_override = models.TextField("reason for overriding the condition", blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_on = models.DateField("paid on", null=True, blank=True)
    reference = models.CharField("warrant or reference number", max_length=60, blank=True)
    paid_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The one-time token of the form that added it outside the schedule (ccpt.lib.once).
    click_token = click_token_field()

    history = HistoricalRecords()

    class Meta:
        ordering = ["award_id", "fiscal_year", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive"),
            models.CheckConstraint(
                condition=~Q(status="paid") | (Q(paid_on__isnull=False) & ~Q(reference="")),
                name="payment_paid_has_date_and_reference",
                violation_error_message="A paid payment has its paid date and its warrant or reference number.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["released", "approved", "paid"]) | Q(released_by__isnull=False),
                name="payment_released_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("released_by")),
                name="payment_approved_by_another_person",
                violation_error_message="The second approval is by another person than the one who released it.",
            ),
        ]
        indexes = [models.Index(fields=["award", "status"], name="payment_award_status")]

    def __str__(self):
        return f"{self.award.number} {self.fiscal_year}: {format_money(self.amount)}"

    @property
    def consortium(self):
        return self.award.consortium


class AwardHold(models.Model):
    """Staff stop an award's payments (EC 53015), with a reason, until they lift the hold, with a reason."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="holds")
    reason = models.TextField()
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    placed_at = models.DateTimeField(auto_now_add=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["award_id", "placed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["award"], condition=Q(lifted_at__isnull=True), name="one_open_hold_per_award"
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | (Q(lifted_by__isnull=False) & ~Q(lift_reason="")),
                name="hold_lifted_by_someone_with_a_reason",
            ),
        ]

    def __str__(self):
        return f"Hold on {self.award.number}"

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None


class Recovery(models.Model):
    """Money the consortium returned (or owes back at closeout): recovered funds (EC 53015)."""

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="recoveries")
    amount = money_field(validators=[MinValueValidator(CENT)])
    reason = models.TextField()
    received_on = models.DateField("received on")
    at_closeout = models.BooleanField(default=False)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    click_token = click_token_field()

    class Meta:
        ordering = ["award_id", "received_on", "pk"]
        verbose_name_plural = "recoveries"
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="recovery_amount_positive")]

    def __str__(self):
        return f"{self.award.number} recovered {format_money(self.amount)}"


class ExpenditureReport(models.Model):
    """What the consortium spent in one fiscal year, by object-code category, against its approved budget. Its lead
    agency's staff enter and submit it; program staff accept it or return it with a comment."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned for changes"

    OPEN = (Status.DRAFT, Status.RETURNED)

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="expenditure_reports")
    fiscal_year = models.CharField(max_length=7)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["award_id", "fiscal_year"]
        constraints = [
            models.UniqueConstraint(fields=["award", "fiscal_year"], name="expenditure_report_per_year"),
        ]

    def __str__(self):
        return f"Expenditure report {self.fiscal_year} of award {self.award.number}"

    @property
    def consortium(self):
        return self.award.consortium

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ExpenditureLine(models.Model):
    report = models.ForeignKey(ExpenditureReport, on_delete=models.CASCADE, related_name="lines")
    object_code = models.CharField(max_length=4, choices=ObjectCode.choices)
    amount = money_field("spent", validators=[MinValueValidator(Decimal("0.00"))])

    class Meta:
        ordering = ["report_id", "object_code"]
        constraints = [
            models.UniqueConstraint(fields=["report", "object_code"], name="expenditure_line_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="expenditure_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_object_code_display()}: {format_money(self.amount)}"


class BudgetRevision(models.Model):
    """The consortium asks to move one fiscal year's money between budget categories (the year's total stays).
    A small move applies at once; one that moves any category by more than the program's threshold waits for
    program staff's approval."""

    class Status(models.TextChoices):
        APPLIED = "applied", "Applied at once (under the threshold)"
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved and applied"
        DECLINED = "declined", "Declined"

    award = models.ForeignKey(Award, on_delete=models.PROTECT, related_name="budget_revisions")
    fiscal_year = models.CharField(max_length=7)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.TextField()
    # The largest change of a category, in percent of its approved amount (None: money moved into an empty one).
    largest_change_percent = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    threshold_percent = models.DecimalField(max_digits=5, decimal_places=2)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["award_id", "requested_at", "pk"]

    def __str__(self):
        return f"Budget revision {self.fiscal_year} of award {self.award.number}"

    @property
    def consortium(self):
        return self.award.consortium


class BudgetRevisionLine(models.Model):
    revision = models.ForeignKey(BudgetRevision, on_delete=models.CASCADE, related_name="lines")
    object_code = models.CharField(max_length=4, choices=ObjectCode.choices)
    old_amount = money_field()
    new_amount = money_field(validators=[MinValueValidator(Decimal("0.00"))])

    class Meta:
        ordering = ["revision_id", "object_code"]
        constraints = [
            models.UniqueConstraint(fields=["revision", "object_code"], name="budget_revision_line_unique"),
        ]

    def __str__(self):
        return f"{self.object_code}: {format_money(self.old_amount)} → {format_money(self.new_amount)}"

    @property
    def change(self) -> Decimal:
        return self.new_amount - self.old_amount
