"""Progress reports: what an award's consortium reports each period, member by member, every submission kept as a
version with staff's comments; reminders; the totals by segment an accepted report leaves; its files."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q

from .indicators import Indicator, IndicatorVersion
from .plans import ExtraReport


class ProgressReport(models.Model):
    """What an award's consortium reports for one period: each member organization's values of the round's
    indicators, and answers in words. Its lead agency's staff submit it; program staff accept it or return it with
    comments. Every submission is kept as a version (ReportVersion)."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    # The grantee may change it in these.
    OPEN = (Status.DRAFT, Status.RETURNED)

    award = models.ForeignKey("awards.Award", on_delete=models.PROTECT, related_name="progress_reports")
    # The fiscal year of an annual report ("2026-27"), or "extra-<pk>" for a report staff asked for.
    period = models.CharField(max_length=20)
    extra = models.ForeignKey(ExtraReport, on_delete=models.PROTECT, null=True, blank=True, related_name="reports")
    title = models.CharField(max_length=220)
    due_at = models.DateTimeField("due")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    progress = models.TextField("progress this period", blank=True)
    challenges = models.TextField("challenges and changes to the plan", blank=True)
    next_steps = models.TextField("next steps and sustainability", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    NARRATIVE = ("progress", "challenges", "next_steps")

    class Meta:
        ordering = ["award_id", "due_at", "period"]
        constraints = [models.UniqueConstraint(fields=["award", "period"], name="progress_report_per_period")]
        indexes = [
            models.Index(fields=["status", "due_at"], name="progress_report_status_due"),
            models.Index(fields=["updated_at"], name="progress_report_updated"),  # the API's ?modified_since=
        ]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class ReportValue(models.Model):
    """One member organization's value of one indicator in a report, under the indicator's version it was entered
    under: a count or an amount in `value`, a rate as its numerator and denominator (totals of rates are computed
    from these, never averaged)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="values")
    organization = models.ForeignKey("consortia.Organization", on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="values")
    breakdown = models.CharField(max_length=60, blank=True, help_text='"" for the total; else "grade_level:11".')
    value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    numerator = models.PositiveBigIntegerField(null=True, blank=True)
    denominator = models.PositiveBigIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["report_id", "organization_id", "indicator_id", "breakdown"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "organization", "indicator", "breakdown"], name="report_value_unique"
            ),
            models.CheckConstraint(
                condition=(
                    Q(value__isnull=False) & Q(value__gte=0) & Q(numerator__isnull=True, denominator__isnull=True)
                )
                | (
                    Q(value__isnull=True)
                    & Q(numerator__isnull=False, denominator__gt=0)
                    & Q(numerator__lte=models.F("denominator"))
                ),
                name="report_value_count_or_rate",
                violation_error_message="A value is a count or amount of zero or more, or a rate's numerator no "
                "greater than its denominator.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.organization_id} {self.breakdown or 'total'}"


class ReportVersion(models.Model):
    """A report as it was submitted, kept as it was: its values and answers, and what staff decided of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        RETURNED = "returned", "Returned for changes"
        ACCEPTED = "accepted", "Accepted"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    # [{"organization_id", "organization", "code", "version", "breakdown", "value", "numerator", "denominator"}]
    values = models.JSONField(default=list)
    narrative = models.JSONField(default=dict)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField("overall comment", blank=True)

    class Meta:
        ordering = ["report_id", "number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="report_version_unique")]

    def __str__(self):
        return f"{self.report} v{self.number}"


class ReportComment(models.Model):
    """Staff's comment on one item of a submitted version: a member's value of an indicator, or an answer."""

    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="comments")
    item = models.CharField(max_length=120, help_text='"value:<organization id>:<code>" or "narrative:<field>".')
    label = models.CharField(max_length=300, help_text="The item in words, as the grantee sees it.")
    text = models.TextField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["version_id", "pk"]

    def __str__(self):
        return f"{self.label}: {self.text[:40]}"


class ReportReminder(models.Model):
    """A reminder of a report sent at one stage (before it is due, once overdue): at most one per report and
    stage, the unique constraint guarding it."""

    class Stage(models.TextChoices):
        DUE_SOON = "due_soon", "Due soon"
        OVERDUE = "overdue", "Overdue"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="reminders")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "sent_at"]
        constraints = [models.UniqueConstraint(fields=["report", "stage"], name="report_reminder_once_per_stage")]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.report}"


class ReportTotal(models.Model):
    """An accepted report's totals of one indicator over the members of one segment (K-12, community colleges,
    employers, other partners), written when staff accept it (services.reports.accept_report): the outcomes across
    consortia add these up instead of every member's value. `industry_sector` is the award's pathways' CTE industry
    sector when they share one ("several" when they do not, "" when none is stated)."""

    class Segment(models.TextChoices):
        K12 = "k12", "K-12"
        COLLEGE = "college", "Community colleges"
        EMPLOYER = "employer", "Employers"
        OTHER = "other", "Other partners"

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="totals")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    version = models.ForeignKey(IndicatorVersion, on_delete=models.PROTECT, related_name="+")
    segment = models.CharField(max_length=10, choices=Segment.choices)
    industry_sector = models.CharField(max_length=30, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    numerator = models.PositiveBigIntegerField(default=0)
    denominator = models.PositiveBigIntegerField(default=0)
    members = models.PositiveIntegerField(help_text="How many members' values it adds up.")

    class Meta:
        ordering = ["report_id", "indicator_id", "segment"]
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator", "version", "segment"], name="report_total_unique")
        ]

    def __str__(self):
        return f"{self.report} {self.indicator} {self.segment}"


def report_file_path(instance: "ReportAttachment", filename: str) -> str:
    # A random name: the original is kept in the record, never trusted as a path.
    return f"reports/{instance.report_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class ReportAttachment(models.Model):
    """A file the lead agency attaches to a report (an evaluation, minutes, a data note); checked by content as an
    application's attachments are. Each submitted version lists the files it had, by name and checksum."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=report_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report_id", "uploaded_at", "pk"]

    def __str__(self):
        return self.original_name
