"""Approving a funding plan into awards, and drawing on the set-aside, without ever over-committing money.

Every money-committing write locks the program's row first (then the round's), re-reads the committed totals
inside that transaction and refuses what would exceed them. Two staff acting at once therefore run one after
the other, and the second sees the first's awards.
"""

from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from grants import workflow
from grants.programs.models import Program, Round

from ..models import Award, FundingPlan, Instalment, Notice, PlanLine

ZERO = Decimal("0.00")
CENT = Decimal("0.01")


class OverCommitment(Exception):
    """The money is not there; the message says how much is."""


def committed_in_round(round_: Round) -> Decimal:
    return Award.objects.filter(round=round_, status__in=Award.COMMITTING).aggregate(t=Sum("amount"))["t"] or ZERO


def committed_in_program(program: Program) -> Decimal:
    return (
        Award.objects.filter(round__program=program, status__in=Award.COMMITTING).aggregate(t=Sum("amount"))["t"]
        or ZERO
    )


def instalment_amounts(amount: Decimal, years: int, shares: list[Decimal] | None = None) -> list[Decimal]:
    """Split an award over its fiscal years by shares (percentages; equal when not given).

    Cents lost to rounding go to the first year, so the schedule always adds up to the award.
    """
    shares = shares or [Decimal(100) / years] * years
    parts = [(amount * share / 100).quantize(CENT, rounding=ROUND_DOWN) for share in shares]
    parts[0] += amount - sum(parts)
    return parts


def _lock_program_and_round(round_: Round) -> tuple[Program, Round]:
    program = Program.objects.select_for_update().get(pk=round_.program_id)
    locked_round = Round.objects.select_for_update().get(pk=round_.pk)
    return program, locked_round


@transaction.atomic
def approve_plan(*, plan: FundingPlan, by, conditions: str = "", shares: list[Decimal] | None = None) -> list[Award]:
    """An administrator approves a plan: its funded lines become awards, and every applicant gets a notice."""
    if not by.is_administrator:
        raise PermissionDenied
    program, round_ = _lock_program_and_round(plan.round)
    plan = FundingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != FundingPlan.Status.DRAFT:
        raise OverCommitment("This plan was already approved or replaced; nothing was done.")
    if round_.status != Round.Status.IN_REVIEW:
        raise OverCommitment(f"The round is {round_.get_status_display().lower()}; plans are approved while in review.")

    lines = list(PlanLine.objects.filter(plan=plan).select_related("application__consortium", "category"))
    funded = [line for line in lines if line.funded]
    new_total = sum((line.amount for line in funded), ZERO)
    round_left = round_.funds_available - committed_in_round(round_)
    if new_total > round_left:
        raise OverCommitment(f"The plan commits ${new_total:,.2f}; the round has ${round_left:,.2f} left.")
    program_left = program.available_for_rounds - committed_in_program(program)
    if new_total > program_left:
        raise OverCommitment(
            f"The plan commits ${new_total:,.2f}; the program has ${program_left:,.2f} left after the set-aside."
        )

    now = timezone.now()
    start = Award.objects.filter(round=round_).count()
    awards = Award.objects.bulk_create(
        Award(
            round=round_,
            application=line.application,
            consortium=line.application.consortium,
            category=line.category,
            plan=plan,
            number=f"{round_.code.upper()}-A{start + i:03d}",
            amount=line.amount,
            start_year=round_.grant_start_year,
            years=round_.grant_years,
            conditions=conditions,
            offered_at=now,
        )
        for i, line in enumerate(funded, start=1)
    )
    Instalment.objects.bulk_create(
        Instalment(award=award, fiscal_year=year, amount=part)
        for award in awards
        for year, part in zip(award.fiscal_years, instalment_amounts(award.amount, award.years, shares), strict=True)
    )
    plan.status = FundingPlan.Status.APPROVED
    plan.approved_by, plan.approved_at = by, now
    plan.total = new_total
    plan.save(update_fields=["status", "approved_by", "approved_at", "total"])
    FundingPlan.objects.filter(round=round_, status=FundingPlan.Status.DRAFT).update(
        status=FundingPlan.Status.SUPERSEDED
    )
    workflow.transition(round_, Round.Status.DECIDED, by=by, reason=f"Funding plan {plan.pk} approved.")

    award_by_application = {a.application_id: a for a in awards}
    notices = Notice.objects.bulk_create(
        Notice(
            kind=Notice.Kind.AWARD if line.funded else Notice.Kind.DECLINE,
            application=line.application,
            award=award_by_application.get(line.application_id),
            idempotency_key=f"plan-{plan.pk}:{'award' if line.funded else 'decline'}:{line.application_id}",
            requested_by=by,
        )
        for line in lines
    )
    from ..tasks import send_notice

    ids = [n.pk for n in notices]
    transaction.on_commit(lambda: [send_notice.delay(pk) for pk in ids])
    return awards
