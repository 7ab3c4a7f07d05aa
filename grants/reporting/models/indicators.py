"""A program's shared indicators (EC 53013(e); REFERENCE.md "Indicators"): an indicator's code is stable; its
definition lives in versions. A change to a definition is a new version, never an edit of the old one: what a report
was filed under stays as it was (services.indicators.revise_indicator)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

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
