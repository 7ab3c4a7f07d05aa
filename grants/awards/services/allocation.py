"""Funding plans: fund fundable applications in rank order, within each category and the round's money.

The computation is a pure function over plain rows (`allocate`), so that its rules can be tested by hand
and run over thousands of applications in milliseconds; `build_plan` loads the rows and stores the result.
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from ccpt.lib.money import ZERO, format_money
from grants.applications.models import Application
from grants.programs.models import FundingCategory, Round
from grants.reviews.models import ApplicationScore

from ..models import FundingPlan, PlanLine


@dataclass
class Candidate:
    application_id: int
    number: str
    category_id: int
    region_id: int
    requested: Decimal
    rank: int | None
    fundable: bool
    final: Decimal | None
    override_amount: Decimal | None = None
    override_funded: bool | None = None
    override_reason: str = ""


@dataclass
class Decision:
    application_id: int
    funded: bool
    amount: Decimal
    explanation: str


@dataclass
class Allocation:
    decisions: dict[int, Decision]
    total: Decimal
    money_left: Decimal
    funded_by_category: Counter = field(default_factory=Counter)
    # The last funded rank in each category: the funding line.
    funding_line: dict[int, int | None] = field(default_factory=dict)


def allocate(
    *,
    candidates: list[Candidate],
    categories: dict[int, tuple[Decimal, int]],  # category id -> (maximum award, planned grants)
    funds_available: Decimal,
    partial: bool,
    minimum_partial: Decimal = ZERO,
    region_minimums: dict[int, int] | None = None,
) -> Allocation:
    """Decide each candidate: funded or not, how much, and why."""
    decisions: dict[int, Decision] = {}
    left = funds_available
    funded_count: Counter = Counter()
    by_region: Counter = Counter()
    line: dict[int, int | None] = dict.fromkeys(categories)

    def amount_for(c: Candidate) -> Decimal:
        maximum = categories[c.category_id][0]
        wanted = c.override_amount if c.override_amount is not None else c.requested
        return min(wanted, maximum)

    def fund(c: Candidate, amount: Decimal, why: str) -> None:
        nonlocal left
        decisions[c.application_id] = Decision(c.application_id, True, amount, why)
        left -= amount
        funded_count[c.category_id] += 1
        by_region[c.region_id] += 1
        if c.rank is not None and (line[c.category_id] is None or c.rank > line[c.category_id]):
            line[c.category_id] = c.rank

    def decline(c: Candidate, why: str) -> None:
        decisions[c.application_id] = Decision(c.application_id, False, ZERO, why)

    ranked = sorted(candidates, key=lambda c: (c.rank is None, c.rank or 0, c.number))
    eligible = []
    for c in ranked:
        if c.override_funded is False:
            decline(c, f"Not funded by staff decision: {c.override_reason}")
        elif c.rank is None:
            decline(c, "Not scored, so not ranked.")
        elif not c.fundable and c.override_funded is not True:
            decline(c, f"Below the minimum fundable score (final {c.final}).")
        else:
            eligible.append(c)

    def try_fund(c: Candidate, reason: str) -> bool:
        maximum, planned = categories[c.category_id]
        if funded_count[c.category_id] >= planned:
            decline(c, f"The category's {planned} planned grants are already funded by higher-ranked applications.")
            return False
        amount = amount_for(c)
        if amount <= left:
            if amount < (c.override_amount or c.requested):
                reason += " (capped at the category maximum)"
            elif c.override_amount is not None:
                reason += f" At {format_money(amount)}, as set by staff: {c.override_reason}"
            fund(c, amount, reason)
            return True
        if partial and left > ZERO and left >= minimum_partial:
            fund(
                c,
                left,
                f"Partially funded: {format_money(left)} of {format_money(amount)}; the round's money ran out here.",
            )
            return True
        decline(c, f"Needs {format_money(amount)} but only {format_money(left)} is left in the round.")
        return False

    # Regional minimums first: the best-ranked fundable applications of each region, in rank order.
    for region_id, minimum in (region_minimums or {}).items():
        for c in eligible:
            if by_region[region_id] >= minimum:
                break
            if c.region_id == region_id and c.application_id not in decisions:
                try_fund(c, f"Funded in rank order to meet the region's minimum of {minimum} grants.")
                if not decisions[c.application_id].funded:
                    del decisions[c.application_id]  # it may still be funded in the general pass

    for c in eligible:
        if c.application_id in decisions:
            continue
        why = "Funded in rank order."
        if c.override_funded is True:
            why = f"Funded by staff decision: {c.override_reason}"
        try_fund(c, why)

    total = sum((d.amount for d in decisions.values() if d.funded), ZERO)
    return Allocation(decisions, total, funds_available - total, funded_count, line)


# Later apps may make fundable an application its score did not (an appeal upheld with that remedy): each source
# gives a round's application ids. Such an application is funded in rank order from the money left, like any other.
_fundable_sources: list[Callable[[Round], set[int]]] = []


def add_fundable_source(source: Callable[[Round], set[int]]) -> None:
    if source not in _fundable_sources:
        _fundable_sources.append(source)


def candidates_for(plan: FundingPlan) -> list[Candidate]:
    overrides = {
        line.application_id: line
        for line in PlanLine.objects.filter(plan=plan)
        .exclude(override_reason="")
        .only("application_id", "override_amount", "override_funded", "override_reason")
    }
    rows = (
        Application.objects.filter(round=plan.round, status=Application.Status.SUBMITTED)
        .values_list("pk", "number", "category_id", "consortium__region_id", "requested_amount")
        .order_by("number")
    )
    scores = {
        s["application_id"]: s
        for s in ApplicationScore.objects.filter(round=plan.round).values("application_id", "rank", "fundable", "final")
    }
    made_fundable = set().union(*(source(plan.round) for source in _fundable_sources))
    result = []
    for pk, number, category_id, region_id, requested in rows:
        score = scores.get(pk, {})
        override = overrides.get(pk)
        result.append(
            Candidate(
                application_id=pk,
                number=number,
                category_id=category_id,
                region_id=region_id,
                requested=requested,
                rank=score.get("rank"),
                fundable=score.get("fundable", False) or pk in made_fundable,
                final=score.get("final"),
                override_amount=override.override_amount if override else None,
                override_funded=override.override_funded if override else None,
                override_reason=override.override_reason if override else "",
            )
        )
    return result


COMPUTED = ("category_id", "rank", "requested", "amount", "funded", "explanation")


def _computed(line: PlanLine) -> tuple:
    return tuple(getattr(line, name) for name in COMPUTED)


def _update_computed(lines: list[PlanLine]) -> None:
    """One prepared UPDATE run for every changed line. (Django's bulk_update builds a CASE expression per field
    and row, which takes seconds to compile for thousands of lines.)"""
    if not lines:
        return
    table = PlanLine._meta.db_table
    columns = ", ".join(f"{PlanLine._meta.get_field(name.removesuffix('_id')).column} = %s" for name in COMPUTED)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {columns} WHERE id = %s",  # noqa: S608 - names come from the model, values are bound
            [(*_computed(line), line.pk) for line in lines],
        )


@transaction.atomic
def build_plan(*, plan: FundingPlan) -> Allocation:
    """(Re)compute a draft plan's lines, keeping staff overrides."""
    plan = FundingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != FundingPlan.Status.DRAFT:
        raise ValueError("Only a draft plan can be recomputed.")
    candidates = candidates_for(plan)
    categories = {c.pk: (c.maximum_award, c.planned_grants) for c in FundingCategory.objects.filter(round=plan.round)}
    allocation = allocate(
        candidates=candidates,
        categories=categories,
        funds_available=plan.round.funds_available,
        partial=plan.last_application == FundingPlan.LastApplication.PARTIAL,
        minimum_partial=plan.minimum_partial,
        region_minimums={int(k): int(v) for k, v in plan.region_minimums.items()},
    )
    existing = {line.application_id: line for line in PlanLine.objects.filter(plan=plan)}
    before = {line.pk: _computed(line) for line in existing.values()}
    new_lines, changed = [], []
    for c in candidates:
        decision = allocation.decisions[c.application_id]
        line = existing.get(c.application_id) or PlanLine(plan=plan, application_id=c.application_id)
        line.category_id = c.category_id
        line.rank = c.rank
        line.requested = c.requested
        line.amount = decision.amount
        line.funded = decision.funded
        line.explanation = decision.explanation
        if line.pk is None:
            new_lines.append(line)
        elif _computed(line) != before[line.pk]:
            changed.append(line)
    # A line whose application is no longer submitted (withdrawn since) must not stay funded.
    candidate_ids = {c.application_id for c in candidates}
    for application_id, line in existing.items():
        if application_id not in candidate_ids:
            line.rank, line.amount, line.funded = None, ZERO, False
            line.explanation = "No longer a submitted application (withdrawn), so not funded."
            if _computed(line) != before[line.pk]:
                changed.append(line)
    PlanLine.objects.bulk_create(new_lines)
    _update_computed(changed)
    plan.total = allocation.total
    plan.save(update_fields=["total"])
    return allocation
