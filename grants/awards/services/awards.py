"""An award's life after approval: the consortium's answer, staff's status changes (start, close, withdrawal,
recovery) and amendments of its amount and dates.

An amendment that adds money takes the same locks, in the same order, as approval.approve_plan (the program's
row, then the round's), so it can never over-commit either.
"""

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from grants.awards.models import Amendment, Award, Instalment
from grants.awards.services.approval import OverCommitment, committed_in_program, committed_in_round
from grants.awards.services.plans import AwardChangeError, _money, _need_reason
from grants.models import StatusChange
from grants.programs.models import Program, Round

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
S = Award.Status


# ---- Awards: the consortium's answer, and staff's status changes -------------------------------------------------


@dataclass(frozen=True)
class Step:
    sources: tuple[str, ...]
    target: str
    label: str
    needs_reason: bool = False


# Staff's status changes; accepting and declining are the consortium's (respond()).
STAFF_STEPS = [
    Step((S.ACCEPTED,), S.ACTIVE, "Start the grant: payments may begin"),
    Step((S.ACTIVE,), S.CLOSED, "Close the grant: its work and payments are complete"),
    Step((S.OFFERED, S.ACCEPTED, S.ACTIVE), S.WITHDRAWN, "Withdraw the award", needs_reason=True),
    Step((S.ACTIVE, S.CLOSED), S.RECOVERED, "Record recovery of funds", needs_reason=True),
]


def staff_steps(award: Award) -> list[Step]:
    return [step for step in STAFF_STEPS if award.status in step.sources]


def _record(award: Award, source: str, by, reason: str) -> StatusChange:
    return StatusChange.objects.create(subject=award, from_status=source, to_status=award.status, by=by, reason=reason)


def _lock_award(award: Award) -> Award:
    return Award.objects.select_for_update(of=("self",)).select_related("consortium").get(pk=award.pk)


@transaction.atomic
def respond(*, award: Award, by, accept: bool, reason: str = "") -> Award:
    """The consortium's lead contact accepts or declines an offered award; who and when are recorded."""
    locked = _lock_award(award)
    if locked.status != S.OFFERED:
        when = ""
        if locked.responded_at:
            local = timezone.localtime(locked.responded_at)
            when = f" since {local:%B} {local.day}, {local.year}"
        raise AwardChangeError(
            f"This award is already {locked.get_status_display().lower()}{when}; nothing was changed."
        )
    if not by.has_perm("awards.respond_to_award", locked):
        raise PermissionDenied
    if not accept:
        reason = _need_reason(reason)
    source = locked.status
    locked.status = S.ACCEPTED if accept else S.DECLINED
    locked.responded_by, locked.responded_at = by, timezone.now()
    locked._history_user = by
    locked.save(update_fields=["status", "responded_by", "responded_at"])
    _record(locked, source, by, reason.strip())
    return locked


@transaction.atomic
def change_status(*, award: Award, target: str, by, reason: str = "") -> Award:
    """Staff move an award along: accepted -> active -> closed, or withdraw it, or record a recovery."""
    if not by.has_perm("awards.manage_award", award):
        raise PermissionDenied
    locked = _lock_award(award)
    step = next((s for s in staff_steps(locked) if s.target == target), None)
    if step is None:
        target_label = S(target).label.lower() if target in S.values else target
        raise AwardChangeError(
            f"The award is {locked.get_status_display().lower()}; it cannot become {target_label} now."
        )
    if step.needs_reason:
        reason = _need_reason(reason)
    source = locked.status
    locked.status = target
    locked._history_user = by
    locked.save(update_fields=["status"])
    _record(locked, source, by, reason.strip())
    return locked


# ---- Amendments ----------------------------------------------------------------------------------------------------

AMENDABLE = (S.OFFERED, S.ACCEPTED, S.ACTIVE)


def fiscal_years(start_year: int, years: int) -> list[str]:
    return [f"{y}-{(y + 1) % 100:02d}" for y in range(start_year, start_year + years)]


def rescheduled(instalments: list[Instalment], amount: Decimal, years: list[str]) -> dict[str, Decimal]:
    """The payment schedule of an amended award, adding up to its new amount.

    Paid instalments never change. What is left is spread over the unpaid years: in the same proportions as before
    when the years are the same (a front-loaded schedule stays front-loaded), evenly when the period changed.
    Cents lost to rounding go to the first unpaid year.
    """
    paid = {i.fiscal_year: i.amount for i in instalments if i.paid_on}
    outside = sorted(set(paid) - set(years))
    if outside:
        raise AwardChangeError(
            f"A payment was made in {', '.join(outside)}: the grant period must still include that fiscal year."
        )
    paid_total = sum(paid.values(), ZERO)
    if amount < paid_total:
        raise AwardChangeError(f"{_money(paid_total)} is already paid; the award cannot be less than that.")
    open_years = [y for y in years if y not in paid]
    remainder = amount - paid_total
    if not open_years:
        if remainder:
            raise AwardChangeError("Every fiscal year of the period is paid; lengthen the period to add money.")
        return paid
    current = {i.fiscal_year: i.amount for i in instalments if not i.paid_on}
    weights = [current.get(y, ZERO) for y in open_years]
    if set(current) != set(open_years) or sum(weights) == ZERO:
        weights = [Decimal(1)] * len(open_years)
    parts = [(remainder * w / sum(weights)).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    parts[0] += remainder - sum(parts)
    return {**paid, **dict(zip(open_years, parts, strict=True))}


@transaction.atomic
def amend(*, award: Award, by, amount: Decimal, start_year: int, years: int, reason: str) -> Amendment:
    """Staff change an award's amount or grant period, with a reason. Instalments are adjusted to add up; an
    increase is checked against the round's and the program's money under the same locks as approve_plan."""
    if not by.has_perm("awards.manage_award", award):
        raise PermissionDenied
    reason = _need_reason(reason)
    program = Program.objects.select_for_update().get(pk=award.round.program_id)
    round_ = Round.objects.select_for_update().get(pk=award.round_id)
    locked = Award.objects.select_for_update(of=("self",)).select_related("category").get(pk=award.pk)
    if locked.status not in AMENDABLE:
        raise AwardChangeError(f"A {locked.get_status_display().lower()} award cannot be amended.")
    if amount <= ZERO:
        raise AwardChangeError("Enter an amount more than $0; to end the award, withdraw it.")
    if (amount, start_year, years) == (locked.amount, locked.start_year, locked.years):
        raise AwardChangeError("Nothing was changed: the amount and the grant period are the same as before.")
    if amount > locked.category.maximum_award:
        raise AwardChangeError(
            f"{_money(amount)} is more than the {locked.category.name} category's maximum of "
            f"{_money(locked.category.maximum_award)}."
        )
    increase = amount - locked.amount
    if increase > ZERO:
        round_left = round_.funds_available - committed_in_round(round_)
        if increase > round_left:
            raise OverCommitment(
                f"The increase of {_money(increase)} is more than the {_money(round_left)} left in {round_}."
            )
        program_left = program.available_for_rounds - committed_in_program(program)
        if increase > program_left:
            raise OverCommitment(
                f"The increase of {_money(increase)} is more than the {_money(program_left)} the program has left "
                "after the set-aside."
            )

    instalments = list(locked.instalments.all())
    schedule = rescheduled(instalments, amount, fiscal_years(start_year, years))
    for instalment in instalments:
        if instalment.fiscal_year not in schedule:
            instalment.delete()
        elif instalment.amount != schedule[instalment.fiscal_year]:
            instalment.amount = schedule[instalment.fiscal_year]
            instalment._history_user = by
            instalment.save(update_fields=["amount"])
    existing = {i.fiscal_year for i in instalments}
    for year, part in schedule.items():
        if year not in existing:
            instalment = Instalment(award=locked, fiscal_year=year, amount=part)
            instalment._history_user = by
            instalment.save()

    amendment = Amendment.objects.create(
        award=locked,
        old_amount=locked.amount,
        new_amount=amount,
        old_start_year=locked.start_year,
        new_start_year=start_year,
        old_years=locked.years,
        new_years=years,
        reason=reason,
        by=by,
    )
    locked.amount, locked.start_year, locked.years = amount, start_year, years
    locked._history_user = by
    locked.save(update_fields=["amount", "start_year", "years"])
    return amendment
