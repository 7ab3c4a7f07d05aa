"""A consortium's application to a round, its sections, attachments and submitted snapshots."""

import uuid
from decimal import Decimal
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccpt.lib.dates import format_datetime
from ccpt.lib.money import format_money, money_field
from consortia.models import Consortium, Membership, Organization
from consortia.rules import spoken_for
from grants.programs.models import Criterion, FundingCategory, RequiredAttachment, Round

from .sectors import Sector

# What an application holds at length: lists of many applications leave these unread (`long_texts`). They live out
# of the row on PostgreSQL (migration 0002), so reading them costs a lookup each.
LONG_TEXTS = (
    "summary",
    "target_group",
    "need_statement",
    "labor_market",
    "budget_narratives",
    "section_drafts",
    "section_versions",
)


def long_texts(path: str = "") -> list[str]:
    """LONG_TEXTS as defer() names them from a query of another model: long_texts("application__")."""
    return [path + name for name in LONG_TEXTS]


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Applications a person may open: staff see all, consortium contacts their consortia's.

        Readers see applications through their assignments (the review workspace), not this list.
        """
        if not user.is_authenticated:
            return self.none()
        if user.has_perm("applications.view_every_application"):
            return self
        return self.filter(consortium_id__in=spoken_for(user))

    def submitted(self):
        return self.filter(status=Application.Status.SUBMITTED)


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Section(models.TextChoices):
        """The parts of the form, in the order of the RFA."""

        SUMMARY = "summary", "Overall summary"
        TARGET_GROUP = "target_group", "Target group"
        NEED = "need", "Statement of need and regional labor market"
        PROGRAMS = "programs", "Programs of study"
        PARTNERS = "partners", "Partners"
        BUDGET = "budget", "Budget"
        NARRATIVES = "narratives", "Responses to the rubric"
        ATTACHMENTS = "attachments", "Attachments"

    round = models.ForeignKey(Round, on_delete=models.PROTECT, related_name="applications")
    consortium = models.ForeignKey(Consortium, on_delete=models.PROTECT, related_name="applications")
    category = models.ForeignKey(
        FundingCategory, on_delete=models.PROTECT, related_name="applications", verbose_name="funding category"
    )
    number = models.CharField("application number", max_length=30, unique=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)

    # Overall summary
    title = models.CharField("project title", max_length=200, blank=True)
    summary = models.TextField("overall summary", blank=True)
    # Target group
    target_group = models.TextField(blank=True, help_text="Students, schools and grades the pathways serve.")
    grades_served = models.CharField(max_length=50, blank=True, help_text='e.g. "9-14".')
    students_served = models.PositiveIntegerField(null=True, blank=True)
    # Statement of need and regional labor market
    need_statement = models.TextField("statement of need", blank=True)
    labor_market = models.TextField("regional labor market", blank=True)
    # Budget narrative, one text per fiscal year: {"2014-15": "..."}
    budget_narratives = models.JSONField(default=dict, blank=True)

    # Derived from the budget on every budget save, so lists never add up budget items per row.
    requested_amount = money_field("amount requested", default=Decimal("0.00"), editable=False)
    # What was typed into a section that could not be saved as it stood (e.g. "12,5OO" in an amount):
    # kept so that nothing typed is lost, shown again with its errors. {"budget": {<form data>}, ...}
    section_drafts = models.JSONField(default=dict, blank=True, editable=False)
    # Optimistic locking per section: {"summary": 3, ...}; a save based on an older version is refused.
    section_versions = models.JSONField(default=dict, editable=False)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApplicationQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["section_versions", "section_drafts"])

    class Meta:
        ordering = ["round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "consortium"],
                condition=~Q(status="withdrawn"),
                name="one_live_application_per_consortium_and_round",
                violation_error_message="This consortium already has an application in this round.",
            ),
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self):
        return f"{self.number} {self.title or self.consortium.name}"

    def get_absolute_url(self):
        return reverse("applications:application", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT

    def section_version(self, section: str) -> int:
        """How many times the section was saved. Entries are {"version": 3, "by": ..., "at": ...}
        (grants.services.applications records who saved and when); a bare number is read too."""
        entry = self.section_versions.get(section, 0)
        return int(entry.get("version", 0) if isinstance(entry, dict) else entry)

    def budget_total(self) -> Decimal:
        return self.budget_items.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")

    def committed_total(self) -> Decimal:
        return CommittedResource.objects.filter(commitment__application=self).aggregate(total=Sum("amount"))[
            "total"
        ] or Decimal("0.00")


class ProgramOfStudy(models.Model):
    """One career pathway, as in the RFA's program-of-study worksheet."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="programs")
    name = models.CharField("pathway name", max_length=200)
    sector = models.CharField("industry sector", max_length=30, choices=Sector.choices)
    k12_sequence = models.TextField("K-12 courses in sequence", blank=True)
    postsecondary_sequence = models.TextField("college courses or programs in sequence", blank=True)
    dual_enrollment = models.BooleanField("dual or concurrent enrollment offered", default=False)
    articulation = models.TextField("articulation agreements", blank=True)
    work_based_learning = models.TextField("work-based learning", blank=True)
    student_internships = models.BooleanField(default=False)
    teacher_internships = models.BooleanField(default=False)
    # Students to be served, per fiscal year of the grant: {"2014-15": 120, ...}
    students_by_year = models.JSONField(default=dict, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["application_id", "position", "pk"]
        verbose_name_plural = "programs of study"

    def __str__(self):
        return self.name


class PartnerCommitment(models.Model):
    """A partner's role, responsibilities and committed resources (the RFA's partner charts)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=20, choices=Membership.Role.choices)
    responsibilities = models.TextField(blank=True)
    letter = models.ForeignKey(
        "Attachment",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="commitment letter",
    )

    class Meta:
        ordering = ["application_id", "role", "organization__name"]
        constraints = [
            models.UniqueConstraint(fields=["application", "organization"], name="partner_once_per_application")
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"


class CommittedResource(models.Model):
    class Kind(models.TextChoices):
        CASH = "cash", "Cash"
        IN_KIND = "in_kind", "In-kind"

    commitment = models.ForeignKey(PartnerCommitment, on_delete=models.CASCADE, related_name="resources")
    fiscal_year = models.CharField(max_length=7)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    amount = money_field(validators=[MinValueValidator(Decimal("0.00"))])
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["commitment", "fiscal_year", "kind"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fiscal_year}: {format_money(self.amount)}"


class BudgetItem(models.Model):
    """One cell of the budget page: an object-code category in one fiscal year."""

    class ObjectCode(models.TextChoices):
        # The California School Accounting Manual's object-code classes, as on CDE budget pages.
        CERTIFICATED = "1000", "1000 Certificated salaries"
        CLASSIFIED = "2000", "2000 Classified salaries"
        BENEFITS = "3000", "3000 Employee benefits"
        SUPPLIES = "4000", "4000 Books and supplies"
        SERVICES = "5000", "5000 Services and other operating expenditures"
        CAPITAL = "6000", "6000 Capital outlay"
        INDIRECT = "7000", "7000 Indirect costs"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="budget_items")
    fiscal_year = models.CharField(max_length=7)
    object_code = models.CharField(max_length=4, choices=ObjectCode.choices)
    amount = money_field(validators=[MinValueValidator(Decimal("0.00"))])

    class Meta:
        ordering = ["application_id", "fiscal_year", "object_code"]
        constraints = [
            models.UniqueConstraint(fields=["application", "fiscal_year", "object_code"], name="budget_cell_unique")
        ]

    def __str__(self):
        return f"{self.fiscal_year} {self.get_object_code_display()}: {format_money(self.amount)}"


class NarrativeResponse(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="narratives")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="responses")
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["application_id", "criterion__position"]
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="narrative_unique")]

    def __str__(self):
        return f"{self.application.number}: {self.criterion}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # A random name: the original is kept in the record, never trusted as a path.
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Attachment(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    required_attachment = models.ForeignKey(
        RequiredAttachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="files"
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "required_attachment__position", "uploaded_at"]

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("applications:attachment", args=[self.application_id, self.pk])


class Submission(models.Model):
    """A frozen snapshot of the whole application at the moment it was submitted.

    Readers and staff read the snapshot, never the live draft. A reopened application that is
    submitted again gets a new snapshot; the latest one is current.
    """

    class Screening(models.TextChoices):
        PENDING = "pending", "Screening pending"
        PASSED = "passed", "Passed screening"
        FAILED = "failed", "Failed screening"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="submissions")
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    checksum = models.CharField("SHA-256 checksum", max_length=64)
    late_reason = models.TextField(blank=True, help_text="Why staff accepted this submission after the deadline.")
    is_current = models.BooleanField(default=True)
    screening = models.CharField(max_length=10, choices=Screening.choices, default=Screening.PENDING)
    screened_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id", "-submitted_at"]
        constraints = [
            models.UniqueConstraint(fields=["application"], condition=Q(is_current=True), name="one_current_submission")
        ]
        indexes = [models.Index(fields=["screening"])]

    def __str__(self):
        return f"{self.application.number} submitted {format_datetime(self.submitted_at)}"


class ScreeningCheck(models.Model):
    """One rule re-checked on a submission by the screening task, and any staff override of it."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="checks")
    key = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    passed = models.BooleanField()
    detail = models.TextField(blank=True)
    checked_at = models.DateTimeField(auto_now=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overridden_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["submission", "pk"]
        constraints = [models.UniqueConstraint(fields=["submission", "key"], name="screening_check_unique")]
        # The failed checks staff have not overridden, per submission: the submissions list and its CSV count
        # them for every row (filters.submission_rows) from this small index, not from every check.
        indexes = [
            models.Index(
                fields=["submission"], condition=Q(passed=False, overridden_at__isnull=True), name="check_failing"
            )
        ]

    def __str__(self):
        return f"{self.label}: {'passed' if self.passed else 'failed'}"

    @property
    def is_satisfied(self) -> bool:
        return self.passed or self.overridden_at is not None


class LetterOfIntent(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="letters_of_intent")
    consortium = models.ForeignKey(Consortium, on_delete=models.CASCADE, related_name="letters_of_intent")
    category = models.ForeignKey(FundingCategory, on_delete=models.SET_NULL, null=True, blank=True)
    filed_at = models.DateTimeField(default=timezone.now)
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "filed_at"]
        verbose_name = "letter of intent"
        verbose_name_plural = "letters of intent"
        constraints = [models.UniqueConstraint(fields=["round", "consortium"], name="loi_unique")]

    def __str__(self):
        return f"Letter of intent: {self.consortium} for {self.round}"
