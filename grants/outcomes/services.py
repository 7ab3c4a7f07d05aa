"""The program's outcomes across consortia: the shared indicators by fiscal year, region, segment and industry sector,
computed in the database from the accepted annual reports' totals (ReportTotal, written when staff accept one);
reports on time and late; money paid against money awarded.

Totals add members' counts and amounts; a rate is computed from the members' numerators and denominators, never
an average of their rates. Every figure of the page comes from a fixed number of queries, whatever the number of
awards, members or years (tests/outcomes).
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from consortia.models import Region
from grants.applications.sectors import Sector
from grants.awards.models import Award, Instalment
from grants.awards.services.threesixtygiving import Disbursement
from grants.payments.models import Payment
from grants.programs.models import Program
from grants.reporting.models import IndicatorVersion, ProgressReport, ReportTotal, ReportValue

S = ProgressReport.Status
# The segments the evaluation compares (K-12, community colleges, employers, other partners), in that order; and
# the awards' CTE industry sectors, each award under its pathways' one sector or "Several sectors".
SEGMENTS = [label for _, label in ReportTotal.Segment.choices]
INDUSTRY_SECTORS = dict(Sector.choices) | {"several": "Several sectors", "": "Not stated"}


@dataclass
class Figure:
    """An indicator's total over some members: counts and amounts added, a rate from numerators and denominators."""

    unit: str
    value: Decimal = Decimal(0)
    numerator: int = 0
    denominator: int = 0
    members: int = 0  # member values it adds up

    def add(self, value, numerator, denominator, members) -> None:
        self.value += value or 0
        self.numerator += numerator or 0
        self.denominator += denominator or 0
        self.members += members

    @property
    def figure(self) -> Decimal | None:
        """What is charted: the total, or the rate in percent (None when nothing is in its denominator)."""
        if self.unit != IndicatorVersion.Unit.RATE:
            return self.value
        if not self.denominator:
            return None
        return (Decimal(100 * self.numerator) / self.denominator).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass
class IndicatorOutcome:
    version: IndicatorVersion  # the latest: its name and unit head the figures
    by_year: dict[str, Figure] = field(default_factory=dict)
    # year -> region name -> Figure; year -> segment -> Figure; year -> industry sector -> Figure
    by_region: dict[str, dict[str, Figure]] = field(default_factory=lambda: defaultdict(dict))
    by_segment: dict[str, dict[str, Figure]] = field(default_factory=lambda: defaultdict(dict))
    by_industry: dict[str, dict[str, Figure]] = field(default_factory=lambda: defaultdict(dict))
    versions: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))  # year -> definitions used

    def figure(self, table: dict, key: str) -> Figure:
        if key not in table:
            table[key] = Figure(self.version.unit)
        return table[key]


@dataclass
class Outcomes:
    years: list[str]
    indicators: list[IndicatorOutcome]
    regions: list[str]
    industries: list[str]
    awards: int
    reports: int


def latest_versions(program: Program) -> dict[int, IndicatorVersion]:
    latest = {}
    versions = IndicatorVersion.objects.filter(indicator__program=program).select_related("indicator")
    for version in versions.order_by("indicator__position", "indicator__code", "number"):
        latest[version.indicator_id] = version
    return latest


def outcomes(program: Program) -> Outcomes:
    """Each indicator's totals by fiscal year, and by region, segment and industry sector within each year: one
    grouped query over the accepted annual reports' totals by segment (ReportTotal, written at acceptance)."""
    latest = latest_versions(program)
    segments = dict(ReportTotal.Segment.choices)
    rows = (
        ReportTotal.objects.filter(
            report__award__round__program=program, report__status=S.ACCEPTED, report__extra__isnull=True
        )
        .values(
            "indicator_id",
            "segment",
            "industry_sector",
            version_number=F("version__number"),
            year=F("report__period"),
            region=F("report__award__consortium__region__name"),
        )
        .annotate(
            total=Sum("value"),
            numerator_total=Sum("numerator"),
            denominator_total=Sum("denominator"),
            count=Sum("members"),
        )
        .order_by()
    )
    found: dict[int, IndicatorOutcome] = {}
    years, regions, industries = set(), set(), set()
    for row in rows:
        version = latest.get(row["indicator_id"])
        if version is None:
            continue
        outcome = found.get(row["indicator_id"]) or found.setdefault(row["indicator_id"], IndicatorOutcome(version))
        year, region = row["year"], row["region"]
        industry = INDUSTRY_SECTORS.get(row["industry_sector"], row["industry_sector"])
        figures = (row["total"], row["numerator_total"], row["denominator_total"], row["count"])
        outcome.figure(outcome.by_year, year).add(*figures)
        outcome.figure(outcome.by_region[year], region).add(*figures)
        outcome.figure(outcome.by_segment[year], segments[row["segment"]]).add(*figures)
        outcome.figure(outcome.by_industry[year], industry).add(*figures)
        outcome.versions[year].add(row["version_number"])
        years.add(year)
        regions.add(region)
        industries.add(industry)
    counts = ProgressReport.objects.filter(
        award__round__program=program, status=S.ACCEPTED, extra__isnull=True
    ).aggregate(awards=Count("award", distinct=True), reports=Count("pk"))
    region_order = {name: i for i, name in enumerate(Region.objects.values_list("name", flat=True))}
    industry_order = {label: i for i, label in enumerate(INDUSTRY_SECTORS.values())}
    return Outcomes(
        years=sorted(years),
        indicators=[found[pk] for pk in latest if pk in found],
        regions=sorted(regions, key=lambda name: region_order.get(name, len(region_order))),
        industries=sorted(industries, key=lambda label: industry_order.get(label, len(industry_order))),
        awards=counts["awards"],
        reports=counts["reports"],
    )


@dataclass
class Timeliness:
    year: str
    on_time: int
    late: int
    overdue: int  # past due, not submitted
    not_due: int  # not yet due, not submitted

    @property
    def owed(self) -> int:
        return self.on_time + self.late + self.overdue + self.not_due


def timeliness(program: Program, now=None) -> list[Timeliness]:
    """The annual reports of each fiscal year: submitted on time, late, overdue and not yet due (one query)."""
    now = now or timezone.now()
    rows = (
        ProgressReport.objects.filter(award__round__program=program, extra__isnull=True)
        .values("period")
        .annotate(
            on_time=Count("pk", filter=Q(submitted_at__lte=F("due_at"))),
            late=Count("pk", filter=Q(submitted_at__gt=F("due_at"))),
            overdue=Count("pk", filter=Q(submitted_at__isnull=True, due_at__lt=now)),
            not_due=Count("pk", filter=Q(submitted_at__isnull=True, due_at__gte=now)),
        )
        .order_by("period")
    )
    return [Timeliness(r["period"], r["on_time"], r["late"], r["overdue"], r["not_due"]) for r in rows]


@dataclass
class Money:
    year: str
    awarded: Decimal  # the award's schedule for the year (instalments of awards that count)
    paid: Decimal


def awarded_by_year(program: Program) -> dict[str, Decimal]:
    rows = (
        Instalment.objects.filter(award__round__program=program, award__status__in=Award.COMMITTING)
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["fiscal_year"]: row["total"] for row in rows}


def paid_by_year(program: Program) -> dict[str, Decimal]:
    rows = (
        Payment.objects.filter(award__round__program=program, status=Payment.Status.PAID)
        .values("fiscal_year")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["fiscal_year"]: row["total"] for row in rows}


def money_by_year(program: Program) -> list[Money]:
    """Money awarded (the schedules of the awards that count) and paid, for each fiscal year: two queries."""
    awarded, paid = awarded_by_year(program), paid_by_year(program)
    zero = Decimal("0.00")
    return [Money(year, awarded.get(year, zero), paid.get(year, zero)) for year in sorted(set(awarded) | set(paid))]


# ---- Export: every value in long form --------------------------------------------------------------------------

EXPORT_FIELDS = [
    "award",
    "consortium",
    "organization_id",
    "organization",
    "indicator",
    "version",
    "period",
    "breakdown",
    "value",
    "numerator",
    "denominator",
    "report_status",
]


def exported_values(program: Program, *, statuses=(S.ACCEPTED,)) -> Iterator[tuple]:
    """Every value of the program's reports in `statuses`, a row each (EXPORT_FIELDS), read in chunks: the export
    streams them without holding them all."""
    rows = (
        ReportValue.objects.filter(report__award__round__program=program, report__status__in=list(statuses))
        .order_by("report__award__number", "report__period", "organization__name", "indicator__position", "breakdown")
        .values_list(
            "report__award__number",
            "report__award__consortium__name",
            "organization_id",
            "organization__name",
            "indicator__code",
            "version__number",
            "report__period",
            "breakdown",
            "value",
            "numerator",
            "denominator",
            "report__status",
        )
    )
    return rows.iterator(chunk_size=5000)


def disbursements(program: Program) -> dict[int, list[Disbursement]]:
    """The payments made to each award of the program ({award id: payments, by date}), for the 360Giving export."""
    paid = defaultdict(list)
    rows = (
        Payment.objects.filter(award__round__program=program, status=Payment.Status.PAID)
        .order_by("award_id", "paid_on", "pk")
        .values_list("award_id", "pk", "amount", "paid_on", "fiscal_year", "reference")
    )
    for award_id, pk, amount, paid_on, fiscal_year, reference in rows:
        paid[award_id].append(Disbursement(str(pk), amount, paid_on, fiscal_year, reference))
    return paid
