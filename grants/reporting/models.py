"""After the award, grantees report on a program's shared indicators (EC 53013(e); REFERENCE.md "Indicators").

An indicator's code is stable; its definition lives in versions. A change to a definition is a new version, never an
edit of the old one: what a report was filed under stays as it was (services.revise_indicator).
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from ccpt.lib.once import click_token_field
from grants.programs.models import Program


class Indicator(models.Model):
    """One of a program's shared indicators, known by its code; what it means is its latest version."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="indicators")
    code = models.SlugField(max_length=40, help_text='Short and stable, e.g. "graduates"; exports use it.')
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["program_id", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="indicator_code_unique_in_program")]

    def __str__(self):
        return self.code


class IndicatorVersion(models.Model):
    """What an indicator means from `created_at` on: its words, its unit, who reports it and how it is broken down."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        RATE = "rate", "Rate (numerator over denominator)"
        AMOUNT = "amount", "Amount (dollars)"

    class Reporter(models.TextChoices):
        """Which members of a consortium report it (their own values, each member apart)."""

        K12 = "k12", "K-12 local educational agencies"
        COLLEGE = "college", "Community colleges"
        EMPLOYER = "employer", "Employers and businesses"
        ANY = "any", "Any member"

    class Breakdown(models.TextChoices):
        """Besides by member organization, which every value is."""

        GRADE_LEVEL = "grade_level", "Grade level"
        STUDENT_GROUP = "student_group", "Student group"
        WBL_KIND = "wbl_kind", "Kind of work-based learning"

    class Measure(models.TextChoices):
        """The statutory outcome measure it serves (EC 53013(e)); none for the program's practice counts."""

        ACADEMIC = "ec53013e1", "EC 53013(e)(1): pupil academic performance"
        GRADUATES = "ec53013e2", "EC 53013(e)(2): number and rate of graduates"
        POSTSECONDARY = "ec53013e3", "EC 53013(e)(3): certificates, transfer readiness and postsecondary enrollment"
        EMPLOYMENT = "ec53013e4", "EC 53013(e)(4): transitions to employment, apprenticeships or job training"

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    definition = models.TextField(help_text="Exactly what is counted, in plain words, with its source.")
    unit = models.CharField(max_length=10, choices=Unit.choices)
    numerator = models.TextField("numerator definition", blank=True)
    denominator = models.TextField("denominator definition", blank=True)
    reporters = models.JSONField(default=list, help_text="Reporter codes: which members report it.")
    breakdowns = models.JSONField(default=list, blank=True, help_text="Breakdown codes, besides by member.")
    measure = models.CharField("statutory measure", max_length=12, choices=Measure.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Empty for the definitions the site seeds (services.add_standard_indicators without a person).
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["indicator_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "number"], name="indicator_version_unique"),
            models.CheckConstraint(
                condition=(Q(unit="rate") & ~Q(numerator="") & ~Q(denominator=""))
                | (~Q(unit="rate") & Q(numerator="") & Q(denominator="")),
                name="indicator_rate_has_numerator_and_denominator",
                violation_error_message="A rate defines its numerator and denominator; a count or amount neither.",
            ),
        ]

    def __str__(self):
        return f"{self.indicator.code} v{self.number}: {self.name}"

    def reporter_labels(self) -> list[str]:
        labels = dict(self.Reporter.choices)
        return [labels.get(code, code) for code in self.reporters]

    def breakdown_labels(self) -> list[str]:
        labels = dict(self.Breakdown.choices)
        return [labels.get(code, code) for code in self.breakdowns]

    def breakdown_codes(self) -> list[tuple[str, str]]:
        """Each breakdown value a report may give ("grade_level:11", "Grade 11"), for the CSV's breakdown column."""
        return [(f"{kind}:{code}", label) for kind in self.breakdowns for code, label in BREAKDOWN_VALUES.get(kind, [])]


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


# What a value may be broken down by, besides its member organization: the breakdown's codes and labels. A value's
# `breakdown` is "" for the member's total, or "<breakdown>:<code>", e.g. "grade_level:11".
BREAKDOWN_VALUES: dict[str, list[tuple[str, str]]] = {
    IndicatorVersion.Breakdown.GRADE_LEVEL: [
        ("9", "Grade 9"),
        ("10", "Grade 10"),
        ("11", "Grade 11"),
        ("12", "Grade 12"),
        ("postsecondary", "Postsecondary"),
    ],
    IndicatorVersion.Breakdown.STUDENT_GROUP: [
        ("english-learners", "English learners"),
        ("low-income", "Socioeconomically disadvantaged"),
        ("disabilities", "Students with disabilities"),
        ("foster-youth", "Foster youth"),
        ("homeless", "Homeless youth"),
    ],
    IndicatorVersion.Breakdown.WBL_KIND: [
        ("awareness", "Career awareness"),
        ("exploration", "Career exploration"),
        ("preparation", "Career preparation"),
        ("training", "Career training"),
    ],
}


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
        indexes = [models.Index(fields=["status", "due_at"], name="progress_report_status_due")]

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
