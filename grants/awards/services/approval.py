"""Approving a funding plan into awards (or deciding a round makes none), without ever over-committing money.

Every money-committing write locks the program's row first (then the round's), re-reads the committed totals
inside that transaction and refuses what would exceed them. Two staff acting at once therefore run one after
the other, and the second sees the first's awards.
"""

from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ccpt.background.services import later_each
from ccpt.lib.money import CENT, ZERO, format_money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import Application, long_texts
from grants.programs.models import Program, Round

from ..models import Award, FundingPlan, Instalment, Notice, PlanLine

SEND_NOTICE = "grants.awards.tasks.send_notice"


def committed_in_round(round_: Round) -> Decimal:
    return Award.objects.filter(round=round_, status__in=Award.COMMITTING).aggregate(t=Sum("amount"))["t"] or ZERO


def committed_in_program(program: Program) -> Decimal:
    committing = Award.objects.filter(round__program=program, status__in=Award.COMMITTING)
    return committing.aggregate(t=Sum("amount"))["t"] or ZERO


def check_money(*, program: Program, round_: Round, adding: Decimal, what: str) -> None:
    """Refuse `adding` more dollars of awards when the round or the program (after the set-aside) has less left.

    Call it with the program's and the round's rows locked (lock_program_and_round)."""
    round_left = round_.funds_available - committed_in_round(round_)
    if adding > round_left:
        raise Refusal(f"{what} {format_money(adding)}, more than the {format_money(round_left)} left in {round_}.")
    program_left = program.available_for_rounds - committed_in_program(program)
    if adding > program_left:
        raise Refusal(
            f"{what} {format_money(adding)}, more than the {format_money(program_left)} the program has left after "
            "the set-aside."
        )


def lock_program_and_round(round_: Round) -> tuple[Program, Round]:
    """The locks every money-committing write takes, always in this order (so that two never deadlock)."""
    program = Program.objects.select_for_update().get(pk=round_.program_id)
    locked_round = Round.objects.select_for_update().get(pk=round_.pk)
    return program, locked_round


def instalment_amounts(amount: Decimal, years: int, shares: list[Decimal] | None = None) -> list[Decimal]:
    """Split an award over its fiscal years by shares (percentages; equal when not given).

    Cents lost to rounding go to the first year, so the schedule always adds up to the award.
    """
    shares = shares or [Decimal(100) / years] * years
    parts = [(amount * share / 100).quantize(CENT, rounding=ROUND_DOWN) for share in shares]
    parts[0] += amount - sum(parts)
    return parts


def _supersede_drafts(round_: Round, *, by, keep: FundingPlan | None = None) -> None:
    drafts = FundingPlan.objects.filter(
        round=round_, status__in=(FundingPlan.Status.DRAFT, FundingPlan.Status.SUBMITTED)
    )
    for draft in drafts.exclude(pk=keep.pk) if keep else drafts:
        workflow.transition(draft, FundingPlan.Status.SUPERSEDED, by=by, reason="Replaced by a newer decision.")


def _queue_notices(notices: list[Notice]) -> None:
    later_each(SEND_NOTICE, [(notice.pk,) for notice in Notice.objects.bulk_create(notices)])


@transaction.atomic
def approve_plan(*, plan: FundingPlan, by, conditions: str = "", shares: list[Decimal] | None = None) -> list[Award]:
    """An administrator approves a plan: its funded lines become awards, and every applicant gets a notice."""
    authorize(by, "awards.approve_plan", plan)
    program, round_ = lock_program_and_round(plan.round)
    plan = FundingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == FundingPlan.Status.DRAFT:
        raise Refusal("This plan is a draft: staff submit it for approval first; nothing was done.")
    if plan.status != FundingPlan.Status.SUBMITTED:
        raise Refusal(f"This plan is already {workflow.label(plan)}; nothing was done.")
    if round_.status != Round.Status.IN_REVIEW:
        raise Refusal(f"The round is {workflow.label(round_)}; plans are approved while it is in review.")

    lines = list(
        PlanLine.objects.filter(plan=plan)
        .select_related("application__consortium", "category")
        .defer(*long_texts("application__"))
    )
    funded = [line for line in lines if line.funded]
    new_total = sum((line.amount for line in funded), ZERO)
    check_money(program=program, round_=round_, adding=new_total, what="The plan commits")

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
    plan.total = new_total
    plan.save(update_fields=["total"])
    workflow.transition(plan, FundingPlan.Status.APPROVED, by=by, changes={"approved_by": by, "approved_at": now})
    _supersede_drafts(round_, by=by, keep=plan)
    workflow.transition(round_, Round.Status.DECIDED, by=by, reason=f"Funding plan {plan.pk} approved.")

    award_by_application = {a.application_id: a for a in awards}
    _queue_notices(
        [
            Notice(
                kind=Notice.Kind.AWARD if line.funded else Notice.Kind.DECLINE,
                application=line.application,
                award=award_by_application.get(line.application_id),
                idempotency_key=f"plan-{plan.pk}:{'award' if line.funded else 'decline'}:{line.application_id}",
                requested_by=by,
            )
            for line in lines
        ]
    )
    return awards


def return_plan(*, plan: FundingPlan, by, comments: str) -> FundingPlan:
    """An administrator returns a submitted plan to staff with comments: a draft again, to change and resubmit."""
    authorize(by, "awards.approve_plan", plan)
    workflow.transition(plan, FundingPlan.Status.DRAFT, by=by, reason=comments)
    return plan


@transaction.atomic
def decide_without_awards(*, round_: Round, by, reason: str) -> int:
    """An administrator decides that a round makes no awards, saying why: draft plans are set aside and every
    applicant whose application was submitted is told. Returns how many decline notices were queued."""
    reason = require_reason(reason, "Say why the round makes no awards; applicants are told the decision.")
    _, round_ = lock_program_and_round(round_)
    if round_.status != Round.Status.IN_REVIEW:
        raise Refusal(f"The round is {workflow.label(round_)}; decisions are made while it is in review.")
    workflow.transition(round_, Round.Status.DECIDED, by=by, reason=f"No awards: {reason}")
    _supersede_drafts(round_, by=by)
    submitted = Application.objects.filter(round=round_, status=Application.Status.SUBMITTED).order_by("number")
    notices = [
        Notice(
            kind=Notice.Kind.DECLINE,
            application=application,
            idempotency_key=f"round-{round_.pk}:no-awards:decline:{application.pk}",
            requested_by=by,
        )
        for application in submitted
    ]
    _queue_notices(notices)
    return len(notices)
