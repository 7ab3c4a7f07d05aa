"""The program dashboard's figures: appropriations, the set-aside, money committed and what remains, broken down
by round, funding category, region and industry sector, and what applicants asked for against what was available.

Every figure comes from a fixed number of aggregate queries, however many awards and applications there are.
Only awards whose status counts against the money (Award.COMMITTING) are committed.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.db.models import Count, Sum
from django.utils import timezone

from ccpt.lib.dates import fiscal_year, pacific
from ccpt.lib.money import CENT, ZERO
from consortia.models import Region
from grants.applications.models import Application, ProgramOfStudy
from grants.applications.sectors import Sector
from grants.programs.models import FundingCategory, Program, Round
from grants.setaside.models import SetAsideEntry

from ..models import Award, Instalment

NO_SECTOR = "No program of study recorded"

# Figures on the public record for a round whose applications were never entered in the system
# (REFERENCE.md, "Numbers that are on the record"). Shown only when the round has no submitted application.
PUBLIC_RECORD = {
    ("California Career Pathways Trust", "r1"): {
        "applications": 123,
        "requested": Decimal("709050488.00"),
        "source": "EdSource, 2014",
    },
}


@dataclass
class Row:
    """One line of a breakdown: how many awards and how much they commit."""

    label: str
    committed: Decimal = ZERO
    awards: int = 0
    key: object = None
    extra: dict = field(default_factory=dict)


@dataclass
class RoundRow:
    round: Round
    committed: Decimal
    awards: int
    applications: int
    requested: Decimal
    record: dict | None  # the public record, when the round has no applications in the system

    @property
    def remaining(self) -> Decimal:
        return self.round.funds_available - self.committed

    @property
    def demand_ratio(self) -> Decimal | None:
        """What applicants asked for, as a multiple of the funds available."""
        requested = self.record["requested"] if self.record else self.requested
        if not self.round.funds_available or not requested:
            return None
        return (requested / self.round.funds_available).quantize(Decimal("0.01"))


@dataclass
class Dashboard:
    program: Program
    appropriations: list
    total_appropriated: Decimal
    set_aside_amount: Decimal
    set_aside_drawn: list[Row]
    rounds: list[RoundRow]
    categories: list[Row]
    regions: list[Row]
    sectors: list[Row]
    instalments_due: Decimal  # of committed awards, in fiscal years begun; payments themselves are not recorded

    @property
    def set_aside_drawn_total(self) -> Decimal:
        return sum((row.committed for row in self.set_aside_drawn), ZERO)

    @property
    def set_aside_balance(self) -> Decimal:
        return self.set_aside_amount - self.set_aside_drawn_total

    @property
    def available_for_rounds(self) -> Decimal:
        return self.total_appropriated - self.set_aside_amount

    @property
    def committed(self) -> Decimal:
        return sum((row.committed for row in self.rounds), ZERO)

    @property
    def awards(self) -> int:
        return sum(row.awards for row in self.rounds)

    @property
    def remaining(self) -> Decimal:
        return self.available_for_rounds - self.committed

    @property
    def allocated_to_rounds(self) -> Decimal:
        return sum((row.round.funds_available for row in self.rounds), ZERO)


def split_evenly(amount: Decimal, parts: int) -> list[Decimal]:
    """Equal shares rounded down to the cent; the cents left over go to the first share, so they add up."""
    share = (amount / parts).quantize(CENT, rounding=ROUND_DOWN)
    shares = [share] * parts
    shares[0] += amount - share * parts
    return shares


def _committed(program: Program):
    return Award.objects.filter(round__program=program, status__in=Award.COMMITTING)


def _rounds(program: Program) -> list[RoundRow]:
    rounds = list(Round.objects.filter(program=program).order_by("opens_at", "pk"))
    committed = {
        row["round_id"]: row
        for row in _committed(program).values("round_id").annotate(total=Sum("amount"), count=Count("pk"))
    }
    demand = {
        row["round_id"]: row
        for row in Application.objects.filter(round__program=program, status=Application.Status.SUBMITTED)
        .values("round_id")
        .annotate(count=Count("pk"), requested=Sum("requested_amount"))
    }
    rows = []
    for round_ in rounds:
        money, asked = committed.get(round_.pk, {}), demand.get(round_.pk, {})
        count = asked.get("count", 0)
        rows.append(
            RoundRow(
                round=round_,
                committed=money.get("total") or ZERO,
                awards=money.get("count", 0),
                applications=count,
                requested=asked.get("requested") or ZERO,
                record=None if count else PUBLIC_RECORD.get((program.name, round_.code)),
            )
        )
    return rows


def _categories(program: Program) -> list[Row]:
    committed = {
        row["category_id"]: row
        for row in _committed(program).values("category_id").annotate(total=Sum("amount"), count=Count("pk"))
    }
    rows = []
    for category in (
        FundingCategory.objects.filter(round__program=program)
        .select_related("round")
        .order_by("round__opens_at", "round_id", "position", "-maximum_award")
    ):
        money = committed.get(category.pk, {})
        rows.append(
            Row(
                label=category.name,
                committed=money.get("total") or ZERO,
                awards=money.get("count", 0),
                key=category.pk,
                extra={"round": category.round, "category": category},
            )
        )
    return rows


def _regions(program: Program) -> list[Row]:
    committed = {
        row["consortium__region_id"]: row
        for row in _committed(program).values("consortium__region_id").annotate(total=Sum("amount"), count=Count("pk"))
    }
    return [
        Row(
            label=region.name,
            committed=committed.get(region.pk, {}).get("total") or ZERO,
            awards=committed.get(region.pk, {}).get("count", 0),
            key=region.pk,
        )
        for region in Region.objects.order_by("position", "name")
    ]


def _sectors(program: Program) -> list[Row]:
    """An award whose programs of study span several sectors is split evenly among them (so the money adds up
    to the total committed) and counted once under each of its sectors."""
    amounts = dict(_committed(program).values_list("application_id", "amount"))
    sectors_of = defaultdict(set)
    for application_id, sector in (
        ProgramOfStudy.objects.filter(
            application__award__round__program=program, application__award__status__in=Award.COMMITTING
        )
        .values_list("application_id", "sector")
        .distinct()
    ):
        sectors_of[application_id].add(sector)
    order = {value: i for i, value in enumerate(Sector.values)}
    money: Counter = Counter()
    awards: Counter = Counter()
    for application_id, amount in amounts.items():
        sectors = sorted(sectors_of.get(application_id) or {NO_SECTOR}, key=lambda s: order.get(s, len(order)))
        for sector, share in zip(sectors, split_evenly(amount, len(sectors)), strict=True):
            money[sector] += share
            awards[sector] += 1
    labels = dict(Sector.choices)
    rows = [Row(label=labels[s], committed=money[s] or ZERO, awards=awards[s], key=s) for s in Sector.values]
    if awards[NO_SECTOR]:
        rows.append(Row(label=NO_SECTOR, committed=money[NO_SECTOR], awards=awards[NO_SECTOR], key=NO_SECTOR))
    return rows


def _instalments_due(program: Program) -> Decimal:
    """The instalments of committed awards whose fiscal year has begun (California's starts on July 1): what is due
    to date. The site does not record payments, so this is what is due, not what was paid."""
    today = pacific(timezone.now())
    current = fiscal_year(today.year if today.month >= 7 else today.year - 1)
    due = Instalment.objects.filter(
        award__round__program=program, award__status__in=Award.COMMITTING, fiscal_year__lte=current
    ).aggregate(total=Sum("amount"))["total"]
    return due or ZERO


def dashboard(*, program: Program) -> Dashboard:
    appropriations = list(program.appropriations.order_by("fiscal_years", "source"))
    total = sum((a.amount for a in appropriations), ZERO)
    drawn = {
        row["kind"]: row
        for row in SetAsideEntry.objects.filter(program=program)
        .values("kind")
        .annotate(total=Sum("amount"), count=Count("pk"))
    }
    return Dashboard(
        program=program,
        appropriations=appropriations,
        total_appropriated=total,
        set_aside_amount=program.set_aside_amount,
        set_aside_drawn=[
            Row(
                label=label,
                committed=drawn.get(kind, {}).get("total") or ZERO,
                awards=drawn.get(kind, {}).get("count", 0),
                key=kind,
            )
            for kind, label in SetAsideEntry.Kind.choices
        ],
        rounds=_rounds(program),
        categories=_categories(program),
        regions=_regions(program),
        sectors=_sectors(program),
        instalments_due=_instalments_due(program),
    )
