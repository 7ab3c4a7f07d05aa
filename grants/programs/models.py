"""The program (the Trust), its appropriations, and its rounds of competition with everything configured for
them: funding categories, rubric, competitive priorities and required attachments."""

from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from ccpt.lib.dates import fiscal_years
from ccpt.lib.identifiers import validate_360g_prefix
from ccpt.lib.money import CENT, ZERO, format_money, money_field
from consortia.composition import Requirement
from consortia.models import Organization

# EC 53015(e): the Superintendent may reserve up to 1 percent of the funds for planning grants and technical
# assistance.
SET_ASIDE_LIMIT = Decimal("1.00")


def default_360g_prefix() -> str:
    """The prefix a new program starts with (CCPT_360G_PREFIX), in the form the program stores."""
    return settings.CCPT_360G_PREFIX.strip().rstrip("-")


class Program(models.Model):
    name = models.CharField(max_length=200, unique=True)
    legal_basis = models.TextField(blank=True, help_text="Statutes that create and govern the program.")
    administering_agency = models.CharField(max_length=200, default="California Department of Education")
    threesixtygiving_prefix = models.CharField(
        "360Giving prefix",
        max_length=60,
        default=default_360g_prefix,
        validators=[validate_360g_prefix],
        help_text="The identifier prefix 360Giving registered for the publisher, e.g. 360G-CDE-CCPT. The 360Giving "
        "export starts each grant's identifier and the funder's with it, so changing it after publishing changes "
        "them all.",
    )
    set_aside_percent = models.DecimalField(
        "set-aside percentage",
        max_digits=5,
        decimal_places=2,
        default=Decimal("1.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(SET_ASIDE_LIMIT)],
        help_text="Share of all appropriations reserved for planning grants and technical assistance: EC 53015(e) "
        "allows up to 1 percent.",
    )
    set_aside_funds_planning_grants = models.BooleanField("set-aside may fund planning grants", default=True)
    set_aside_funds_technical_assistance = models.BooleanField("set-aside may fund technical assistance", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:program", args=[self.pk])

    @property
    def total_appropriated(self) -> Decimal:
        return self.appropriations.aggregate(total=Sum("amount"))["total"] or ZERO

    @property
    def set_aside_amount(self) -> Decimal:
        """Rounded down to the cent, so the reserve never exceeds the percentage."""
        return (self.total_appropriated * self.set_aside_percent / 100).quantize(CENT, rounding=ROUND_DOWN)

    @property
    def available_for_rounds(self) -> Decimal:
        return self.total_appropriated - self.set_aside_amount


class Appropriation(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="appropriations")
    amount = money_field(validators=[MinValueValidator(CENT)])
    source = models.CharField(max_length=100, help_text='The act that appropriated it, e.g. "AB 86 (2013)".')
    fiscal_years = models.CharField(max_length=50, help_text='e.g. "2013-14".')
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "fiscal_years", "source"]

    def __str__(self):
        return f"{self.source}: {format_money(self.amount)}"


def default_lead_kinds():
    return sorted(Organization.LEAD_KINDS)


class RoundQuerySet(models.QuerySet):
    def open_for_applications(self):
        now = timezone.now()
        return self.filter(status=Round.Status.OPEN, opens_at__lte=now, closes_at__gt=now)


class Round(models.Model):
    class Kind(models.TextChoices):
        IMPLEMENTATION = "implementation", "Implementation"
        CONSORTIUM_DEVELOPMENT = "consortium_development", "Consortium development and implementation"
        PLANNING = "planning", "Planning"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        IN_REVIEW = "in_review", "In review"
        DECIDED = "decided", "Decided"
        CLOSED_OUT = "closed_out", "Closed out"

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="rounds")
    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=20, unique=True, help_text='Short code used in application numbers, e.g. "R1".')
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.IMPLEMENTATION)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, editable=False)
    # Set by the status change that closes applications (transitions.py), emptied when they reopen: staff may close
    # a round before closes_at, and the pages that show the deadline then say when it really closed (closing.py).
    closed_at = models.DateTimeField("applications closed at", null=True, blank=True, editable=False)
    # Set each time the round opens from draft, emptied when it returns to draft: its rules are frozen from then on,
    # and a process keeps an open round's rules by this moment (published.py).
    opened_at = models.DateTimeField("opened for applications at", null=True, blank=True, editable=False)
    description = models.TextField(blank=True)
    funds_available = money_field(validators=[MinValueValidator(ZERO)])

    loi_deadline = models.DateTimeField(
        "letter-of-intent deadline",
        null=True,
        blank=True,
        help_text="Leave empty when no letter of intent is required. "
        "When set, only consortia that filed one may apply.",
    )
    opens_at = models.DateTimeField("applications open")
    closes_at = models.DateTimeField("applications close")
    grant_start_year = models.PositiveSmallIntegerField(
        "grant period starts in fiscal year",
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        help_text="The calendar year the first fiscal year starts: 2014 for 2014-15.",
    )
    grant_years = models.PositiveSmallIntegerField(
        "grant period (fiscal years)", default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )

    eligible_lead_kinds = models.JSONField(
        default=default_lead_kinds, help_text="Organization kinds that may lead an application in this round."
    )
    required_composition = models.JSONField(
        default=list, blank=True, help_text="Consortium members this round requires (composition checks)."
    )
    match_percent = models.DecimalField(
        "partner commitment required (% of request)",
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Sustainability requirement: partner commitments must reach this share of the request. "
        "Leave empty for none (no ratio is set in statute).",
    )
    readers_per_application = models.PositiveSmallIntegerField(
        default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    discrepancy_threshold = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=Decimal("15.00"),
        help_text="Flag an application for reconciliation when readers' totals differ by more than this.",
    )
    minimum_fundable_score = models.DecimalField(
        "minimum total to be fundable", max_digits=7, decimal_places=2, default=ZERO
    )

    # Review settings (none of these is on record: each is the round's choice)
    half_points = models.BooleanField("scores may use half points", default=False)
    comment_required_below = models.DecimalField(
        "comment required below (% of a criterion's maximum)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("50.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="A reader must explain any score below this share of the criterion's maximum.",
    )
    blind_reading = models.BooleanField(
        "blind reading",
        default=False,
        help_text="Readers never see other readers' scores, even after submitting their own.",
    )
    rank_by = models.CharField(
        max_length=12,
        choices=[("normalized", "Normalized score"), ("mean", "Mean of readers' totals")],
        default="normalized",
    )
    review_due_at = models.DateTimeField("reviews due", null=True, blank=True)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = RoundQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")),
                name="round_closes_after_opening",
                violation_error_message="Applications must close after they open.",
            ),
            models.CheckConstraint(
                condition=Q(loi_deadline__isnull=True) | Q(loi_deadline__lte=models.F("closes_at")),
                name="round_loi_before_closing",
                violation_error_message="The letter-of-intent deadline must come before applications close.",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("programs:round", args=[self.pk])

    @property
    def fiscal_years(self) -> list[str]:
        """["2014-15", "2015-16", ...] for the grant period."""
        return fiscal_years(self.grant_start_year, self.grant_years)

    @property
    def requires_loi(self) -> bool:
        return self.loi_deadline is not None

    @property
    def required_composition_labels(self) -> list[str]:
        return [Requirement(r).label for r in self.required_composition]

    def is_accepting_applications(self, at=None) -> bool:
        at = at or timezone.now()
        return self.status == self.Status.OPEN and self.opens_at <= at < self.closes_at

    def configuration_problems(self) -> list[str]:
        """What must be fixed before the round can open; empty when it is ready."""
        problems = []
        categories = list(self.categories.all())
        if not categories:
            problems.append("Add at least one funding category.")
        planned = sum((c.planned_total for c in categories), Decimal("0"))
        if planned > self.funds_available:
            problems.append(
                f"Funding categories plan {format_money(planned)} (maximum award × planned grants), "
                f"more than the {format_money(self.funds_available)} available."
            )
        if not self.criteria.exists():
            problems.append("Add the rubric: at least one criterion.")
        elif self.minimum_fundable_score > self.rubric_total():
            problems.append("The minimum fundable total is higher than the rubric's maximum.")
        if not self.eligible_lead_kinds:
            problems.append("Choose which kinds of organization may lead an application.")
        if self.closes_at <= timezone.now():
            problems.append("The closing time has passed; set a later one.")
        committed = self.program.rounds.exclude(pk=self.pk).aggregate(total=models.Sum("funds_available"))[
            "total"
        ] or Decimal("0")
        if committed + self.funds_available > self.program.available_for_rounds:
            problems.append(
                f"With the program's other rounds this makes {format_money(committed + self.funds_available)}, more "
                f"than the {format_money(self.program.available_for_rounds)} appropriated after the set-aside."
            )
        return problems

    def rubric_total(self) -> Decimal:
        return sum((c.max_points * c.weight for c in self.criteria.all()), Decimal("0"))


class FundingCategory(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(max_length=100)
    maximum_award = money_field(validators=[MinValueValidator(CENT)])
    planned_grants = models.PositiveSmallIntegerField("planned number of grants", validators=[MinValueValidator(1)])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "position", "-maximum_award"]
        verbose_name_plural = "funding categories"
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="category_name_unique")]

    def __str__(self):
        return f"{self.name} (up to {format_money(self.maximum_award)})"

    @property
    def planned_total(self) -> Decimal:
        return self.maximum_award * self.planned_grants


class Criterion(models.Model):
    """One criterion of the round's rubric; applicants answer each in a narrative."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True, help_text="What readers look for; shown to applicants too.")
    max_points = models.DecimalField(
        "maximum points", max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.5"))]
    )
    weight = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("1.00"), validators=[MinValueValidator(Decimal("0"))]
    )
    response_limit = models.PositiveIntegerField(
        "narrative length limit (characters)", default=5000, validators=[MinValueValidator(100)]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "position", "pk"]
        verbose_name_plural = "criteria"
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="criterion_name_unique")]

    def __str__(self):
        return self.name


class CompetitivePriority(models.Model):
    class Use(models.TextChoices):
        BONUS = "bonus", "Bonus points"
        TIE_BREAK = "tie_break", "Tie-break only"

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="priorities")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    use = models.CharField(max_length=20, choices=Use.choices, default=Use.BONUS)
    bonus_points = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal("0"), validators=[MinValueValidator(Decimal("0"))]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "position", "pk"]
        verbose_name_plural = "competitive priorities"

    def __str__(self):
        return self.name


class RequiredAttachment(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="required_attachments")
    name = models.CharField(max_length=150)
    description = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["round_id", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["round", "name"], name="required_attachment_unique")]

    def __str__(self):
        return self.name
