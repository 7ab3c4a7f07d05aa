"""What a round's grantees report and when (its reporting plan and the reports staff ask for besides), and who
enters each member organization's values (data managers)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ccpt.lib.once import click_token_field

from .indicators import Indicator


class ReportingPlan(models.Model):
    """What a round's grantees report and when: the indicators it chose of its program's, and when each fiscal year's
    annual report is due: on the first due_month/due_day after the fiscal year ends on June 30, at due_hour Pacific
    time (the report of 2026-27 on September 30, 2027, 5:00 PM, by default; services.annual_due)."""

    round = models.OneToOneField("programs.Round", on_delete=models.CASCADE, related_name="reporting_plan")
    indicators = models.ManyToManyField(Indicator, related_name="+", blank=True)
    due_month = models.PositiveSmallIntegerField(
        "due month", default=9, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(
        "due day", default=30, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_hour = models.PositiveSmallIntegerField(
        "due at (hour, Pacific time)", default=17, validators=[MinValueValidator(0), MaxValueValidator(23)]
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    def __str__(self):
        return f"Reporting plan of {self.round}"


class ExtraReport(models.Model):
    """A report staff ask a round's grantees for besides the annual ones, with its own due time."""

    round = models.ForeignKey("programs.Round", on_delete=models.CASCADE, related_name="extra_reports")
    title = models.CharField(max_length=200, help_text='What it is for, e.g. "Mid-year progress on dual enrollment".')
    due_at = models.DateTimeField("due")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    # The one-time token of the form that asked for it: the same click posted twice asks once (ccpt.lib.once).
    click_token = click_token_field()

    class Meta:
        ordering = ["round_id", "due_at", "pk"]

    def __str__(self):
        return self.title


class DataManager(models.Model):
    """A person who enters or uploads one member organization's values for its consortium's progress reports, as the
    data managers at each school and college did for CCPT (REFERENCE.md); named by the lead agency's staff."""

    consortium = models.ForeignKey("consortia.Consortium", on_delete=models.CASCADE, related_name="+")
    organization = models.ForeignKey("consortia.Organization", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_managed")
    named_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    named_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consortium_id", "organization_id", "named_at"]
        constraints = [
            models.UniqueConstraint(fields=["consortium", "organization", "user"], name="data_manager_unique"),
        ]

    def __str__(self):
        return f"{self.user}: data manager of {self.organization}"
