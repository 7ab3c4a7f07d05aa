"""A round's draft funding plan as staff shape it: generated with a policy, recomputed, lines changed with
reasons, two applications swapped, submitted for approval; and the reads of the plan and approval pages.

Staff changes are stored on the line (override_*), recomputed with `allocation.build_plan` and checked in the same
transaction: a change that does not fit is refused whole.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q

from ccpt.lib.money import ZERO
from ccpt.lib.money import format_money as _money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import long_texts
from grants.programs.models import Round

from ..models import FundingPlan, PlanLine
from .allocation import build_plan
from .approval import committed_in_program, committed_in_round


def _need_reason(reason: str) -> str:
    return require_reason(reason, "Give a reason; it is kept in the record with your name and the time.")


class LineAction:
    AMOUNT = "amount"
    INCLUDE = "include"
    EXCLUDE = "exclude"
    CLEAR = "clear"
    CHOICES = [
        (AMOUNT, "Change the amount"),
        (INCLUDE, "Include: fund this application"),
        (EXCLUDE, "Exclude: do not fund this application"),
        (CLEAR, "Remove the staff change (back to the computed decision)"),
    ]


@dataclass
class PlanChange:
    line: PlanLine
    funded: bool
    amount: Decimal
    explanation: str
    # Other applications whose funding changed as a consequence: (number, funded now, explanation).
    moved: list[tuple[str, bool, str]]


def _lock_draft(plan: FundingPlan) -> FundingPlan:
    locked = FundingPlan.objects.select_for_update(of=("self",)).select_related("round").get(pk=plan.pk)
    if locked.status != FundingPlan.Status.DRAFT:
        raise Refusal(f"This plan is {locked.get_status_display().lower()}; only a draft plan can change.")
    if locked.round.status != Round.Status.IN_REVIEW:
        raise Refusal(
            f"{locked.round} is {locked.round.get_status_display().lower()}; plans change only while it is in review."
        )
    return locked


def _funded_now(plan: FundingPlan) -> dict[int, bool]:
    return dict(PlanLine.objects.filter(plan=plan).values_list("application_id", "funded"))


def _consequences(plan: FundingPlan, before: dict[int, bool], changed: set[int]) -> list[tuple[str, bool, str]]:
    after = PlanLine.objects.filter(plan=plan).exclude(application_id__in=changed).select_related("application")
    return [
        (line.application.number, line.funded, line.explanation)
        for line in after.order_by("category__position", "rank")
        if before.get(line.application_id) != line.funded
    ]


def _save_override(line: PlanLine, by, reason: str) -> None:
    line.override_reason = reason
    line.override_by = by
    line._history_user = by
    line.save(update_fields=["override_amount", "override_funded", "override_reason", "override_by"])


@transaction.atomic
def generate_plan(
    *,
    round_: Round,
    by,
    last_application: str,
    minimum_partial: Decimal = ZERO,
    region_minimums: dict[str, int] | None = None,
) -> FundingPlan:
    """A new draft plan computed with the chosen policy. The previous draft is superseded (kept for the record);
    its staff changes are carried over, so a change of policy does not lose them."""
    authorize(by, "awards.build_plan", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status != Round.Status.IN_REVIEW:
        raise Refusal(
            f"{round_} is {round_.get_status_display().lower()}; funding plans are built while it is in review."
        )
    if FundingPlan.objects.filter(round=round_, status=FundingPlan.Status.SUBMITTED).exists():
        raise Refusal(
            "A plan of this round is waiting for approval; an administrator approves it or returns it to you first."
        )
    previous = FundingPlan.objects.filter(round=round_, status=FundingPlan.Status.DRAFT).order_by("-created_at", "-pk")
    previous = previous.first()
    plan = FundingPlan.objects.create(
        round=round_,
        last_application=last_application,
        minimum_partial=minimum_partial,
        region_minimums={str(k): int(v) for k, v in (region_minimums or {}).items() if int(v) > 0},
        created_by=by,
    )
    if previous is not None:
        carried = previous.lines.filter(Q(override_amount__isnull=False) | Q(override_funded__isnull=False))
        for old in carried:
            line = PlanLine(
                plan=plan,
                application_id=old.application_id,
                category_id=old.category_id,
                rank=old.rank,
                requested=old.requested,
                override_amount=old.override_amount,
                override_funded=old.override_funded,
                override_reason=old.override_reason,
                override_by_id=old.override_by_id,
            )
            line._history_user = by
            line.save()
    if previous is not None:
        workflow.transition(previous, FundingPlan.Status.SUPERSEDED, by=by, reason="Replaced by a newer plan.")
    build_plan(plan=plan)
    plan.refresh_from_db()
    return plan


@transaction.atomic
def recompute_plan(*, plan: FundingPlan, by) -> FundingPlan:
    """Compute a draft plan again (after scores changed or an application was withdrawn), keeping staff changes."""
    authorize(by, "awards.build_plan", plan.round)
    plan = _lock_draft(plan)
    build_plan(plan=plan)
    plan.refresh_from_db()
    return plan


def submit_plan(*, plan: FundingPlan, by, note: str) -> FundingPlan:
    """Staff hand a draft plan to the administrators for approval, with a note; it no longer changes unless an
    administrator returns it."""
    authorize(by, "awards.build_plan", plan.round)
    workflow.transition(plan, FundingPlan.Status.SUBMITTED, by=by, reason=note)
    return plan


def _check_amount(line: PlanLine, amount: Decimal | None) -> Decimal:
    if amount is None:
        raise Refusal("Enter the amount to fund.")
    if amount <= ZERO:
        raise Refusal("Enter an amount more than $0; to fund nothing, exclude the application.")
    if amount > line.requested:
        raise Refusal(f"{_money(amount)} is more than the {_money(line.requested)} requested.")
    if amount > line.category.maximum_award:
        raise Refusal(
            f"{_money(amount)} is more than the {line.category.name} category's maximum of "
            f"{_money(line.category.maximum_award)}."
        )
    return amount


@transaction.atomic
def change_line(*, line: PlanLine, by, action: str, reason: str, amount: Decimal | None = None) -> PlanChange:
    """Staff change one line of a draft plan, with a reason; the plan is recomputed and the change checked."""
    authorize(by, "awards.build_plan", line.plan.round)
    reason = _need_reason(reason)
    plan = _lock_draft(line.plan)
    line = PlanLine.objects.select_related("application", "category").get(pk=line.pk, plan=plan)
    before = _funded_now(plan)
    if action == LineAction.AMOUNT:
        line.override_amount = _check_amount(line, amount)
    elif action == LineAction.INCLUDE:
        line.override_funded = True
    elif action == LineAction.EXCLUDE:
        line.override_funded = False
    elif action == LineAction.CLEAR:
        if line.override_amount is None and line.override_funded is None:
            raise Refusal(f"{line.application.number} has no staff change to remove.")
        line.override_amount = line.override_funded = None
        reason = f"Staff change removed: {reason}"
    else:
        raise Refusal("Choose what to change.")
    _save_override(line, by, reason)

    decision = build_plan(plan=plan).decisions[line.application_id]
    number = line.application.number
    if action == LineAction.INCLUDE and not decision.funded:
        raise Refusal(
            f"{number} cannot be included: {decision.explanation} Nothing was changed. "
            "Exclude another application first, or swap the two."
        )
    if action == LineAction.AMOUNT and before.get(line.application_id) and not decision.funded:
        raise Refusal(f"At {_money(amount)}, {number} no longer fits: {decision.explanation} Nothing was changed.")
    if action == LineAction.AMOUNT and decision.funded and decision.amount < amount:
        raise Refusal(
            f"Only {_money(decision.amount)} of {_money(amount)} fits for {number}: {decision.explanation} "
            "Nothing was changed."
        )
    line.refresh_from_db()
    moved = _consequences(plan, before, {line.application_id})
    return PlanChange(line, decision.funded, decision.amount, decision.explanation, moved)


@transaction.atomic
def swap_lines(*, plan: FundingPlan, exclude: PlanLine, include: PlanLine, by, reason: str) -> PlanChange:
    """Exclude one application and include another in one step, so the money of the first can fund the second."""
    authorize(by, "awards.build_plan", plan.round)
    reason = _need_reason(reason)
    plan = _lock_draft(plan)
    if exclude.pk == include.pk:
        raise Refusal("Choose two different applications to swap.")
    lines = PlanLine.objects.select_related("application").filter(plan=plan, pk__in=[exclude.pk, include.pk])
    lines = {line.pk: line for line in lines}
    if len(lines) != 2:
        raise Refusal("Both applications must be in this plan.")
    out, into = lines[exclude.pk], lines[include.pk]
    before = _funded_now(plan)
    why = f"Swapped: {out.application.number} out, {into.application.number} in. {reason}"
    out.override_funded = False
    _save_override(out, by, why)
    into.override_funded = True
    _save_override(into, by, why)

    decision = build_plan(plan=plan).decisions[into.application_id]
    if not decision.funded:
        raise Refusal(
            f"{into.application.number} still cannot be funded after excluding {out.application.number}: "
            f"{decision.explanation} Nothing was changed."
        )
    into.refresh_from_db()
    moved = _consequences(plan, before, {into.application_id})
    return PlanChange(into, decision.funded, decision.amount, decision.explanation, moved)


def describe_override(record) -> str:
    """What a staff change did, in words (for a line or one of its historical records)."""
    parts = []
    if record.override_funded is True:
        parts.append("include (fund it)")
    elif record.override_funded is False:
        parts.append("exclude (do not fund it)")
    if record.override_amount is not None:
        parts.append(f"amount {_money(record.override_amount)}")
    return "; ".join(parts).capitalize() if parts else "Staff change removed"


def differing_lines(lines: list[PlanLine]) -> list[PlanLine]:
    """The lines an approver must look at: funded for a different amount than requested, or changed by staff."""
    return [
        line
        for line in lines
        if (line.funded and line.amount != line.requested)
        or line.override_amount is not None
        or line.override_funded is not None
    ]


def plan_changes(plan: FundingPlan):
    """Every staff change to the plan's lines, oldest first (from the lines' history)."""
    return (
        PlanLine.history.filter(plan_id=plan.pk, override_by__isnull=False)
        .select_related("override_by", "application")
        .defer(*long_texts("application__"))
        .order_by("history_date", "history_id")
    )


# ---- Reads for the plan and approval pages -----------------------------------------------------------------------


@dataclass
class Money:
    round_funds: Decimal
    round_committed: Decimal  # by awards already made
    plan_total: Decimal  # by this plan, not yet approved
    round_left: Decimal
    program_available: Decimal  # appropriations after the set-aside
    program_committed: Decimal
    program_left: Decimal


def plan_money(plan: FundingPlan) -> Money:
    round_ = plan.round
    program = round_.program
    pending = plan.total if plan.status in (FundingPlan.Status.DRAFT, FundingPlan.Status.SUBMITTED) else ZERO
    in_round = committed_in_round(round_)
    in_program = committed_in_program(program)
    available = program.available_for_rounds
    return Money(
        round_funds=round_.funds_available,
        round_committed=in_round,
        plan_total=pending,
        round_left=round_.funds_available - in_round - pending,
        program_available=available,
        program_committed=in_program,
        program_left=available - in_program - pending,
    )
