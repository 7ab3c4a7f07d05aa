"""An award's life after approval: the consortium's answer, staff's status changes (start, close, withdrawal,
recovery; declared in transitions.py) and amendments of its amount and dates.

An amendment that adds money takes the same locks, in the same order, as approval.approve_plan (the program's
row, then the round's), so it can never over-commit either.
"""

from collections.abc import Callable
from decimal import ROUND_DOWN, Decimal

from django.db import transaction
from django.utils import timezone

from ccpt.lib.dates import fiscal_years, format_date
from ccpt.lib.money import CENT, ZERO
from ccpt.lib.money import format_money as _money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow

from ..models import Amendment, Award, Instalment
from .approval import check_money, lock_program_and_round

S = Award.Status
RESPONSES = (S.ACCEPTED, S.DECLINED)  # the consortium's; the other changes are staff's


def staff_changes(award: Award, user) -> list[workflow.Option]:
    """The status changes staff may make to the award now (accepting and declining are the consortium's)."""
    return [option for option in workflow.options(award, user) if option.transition.target not in RESPONSES]


@transaction.atomic
def respond(*, award: Award, by, accept: bool, reason: str = "") -> Award:
    """The consortium's lead contact accepts or declines an offered award; who and when are recorded."""
    locked = Award.objects.select_for_update(of=("self",)).get(pk=award.pk)
    if locked.status != S.OFFERED:
        when = f" since {format_date(locked.responded_at)}" if locked.responded_at else ""
        raise Refusal(f"This award is already {workflow.label(locked)}{when}; nothing was changed.")
    if not accept:
        require_reason(reason, "Say why the consortium declines the award; it is kept in the record.")
    target = S.ACCEPTED if accept else S.DECLINED
    workflow.transition(
        award, target, by=by, reason=reason, changes={"responded_by": by, "responded_at": timezone.now()}
    )
    return award


@transaction.atomic
def change_status(*, award: Award, target: str, by, reason: str = "") -> Award:
    """Staff move an award along: accepted -> active -> closed, or withdraw it, or record a recovery."""
    if target in RESPONSES:
        raise Refusal("Only the consortium accepts or declines its award.")
    workflow.transition(award, target, by=by, reason=reason)
    return award


# ---- Amendments ----------------------------------------------------------------------------------------------------

AMENDABLE = (S.OFFERED, S.ACCEPTED, S.ACTIVE)


def rescheduled(instalments: list[Instalment], amount: Decimal, years: list[str]) -> dict[str, Decimal]:
    """The payment schedule of an amended award, adding up to its new amount.

    Paid instalments never change. What is left is spread over the unpaid years: in the same proportions as before
    when the years are the same (a front-loaded schedule stays front-loaded), evenly when the period changed.
    Cents lost to rounding go to the first unpaid year.
    """
    paid = {i.fiscal_year: i.amount for i in instalments if i.paid_on}
    outside = sorted(set(paid) - set(years))
    if outside:
        raise Refusal(
            f"A payment was made in {', '.join(outside)}: the grant period must still include that fiscal year."
        )
    paid_total = sum(paid.values(), ZERO)
    if amount < paid_total:
        raise Refusal(f"{_money(paid_total)} is already paid; the award cannot be less than that.")
    open_years = [y for y in years if y not in paid]
    remainder = amount - paid_total
    if not open_years:
        if remainder:
            raise Refusal("Every fiscal year of the period is paid; lengthen the period to add money.")
        return paid
    current = {i.fiscal_year: i.amount for i in instalments if not i.paid_on}
    weights = [current.get(y, ZERO) for y in open_years]
    if set(current) != set(open_years) or sum(weights) == ZERO:
        weights = [Decimal(1)] * len(open_years)
    parts = [(remainder * w / sum(weights)).quantize(CENT, rounding=ROUND_DOWN) for w in weights]
    parts[0] += remainder - sum(parts)
    return {**paid, **dict(zip(open_years, parts, strict=True))}


# Later apps' conditions on amending an award (payments: no payment released and not yet paid), each called with the
# locked award, the new amount and the new fiscal years, returning what stands in the way, in words.
_amendment_checks: list[Callable[[Award, Decimal, list[str]], list[str]]] = []


def add_amendment_check(check: Callable[[Award, Decimal, list[str]], list[str]]) -> None:
    _amendment_checks.append(check)


@transaction.atomic
def amend(*, award: Award, by, amount: Decimal, start_year: int, years: int, reason: str) -> Amendment:
    """Staff change an award's amount or grant period, with a reason. Instalments are adjusted to add up; an
    increase is checked against the round's and the program's money under the same locks as approve_plan."""
    authorize(by, "awards.manage_award", award)
    reason = require_reason(reason, "Give a reason; it is kept in the record with your name and the time.")
    program, round_ = lock_program_and_round(award.round)
    locked = Award.objects.select_for_update(of=("self",)).select_related("category").get(pk=award.pk)
    if locked.status not in AMENDABLE:
        raise Refusal(f"A {locked.get_status_display().lower()} award cannot be amended.")
    if amount <= ZERO:
        raise Refusal("Enter an amount more than $0; to end the award, withdraw it.")
    if (amount, start_year, years) == (locked.amount, locked.start_year, locked.years):
        raise Refusal("Nothing was changed: the amount and the grant period are the same as before.")
    if amount > locked.category.maximum_award:
        raise Refusal(
            f"{_money(amount)} is more than the {locked.category.name} category's maximum of "
            f"{_money(locked.category.maximum_award)}."
        )
    if problems := [
        problem for check in _amendment_checks for problem in check(locked, amount, fiscal_years(start_year, years))
    ]:
        raise Refusal(" ".join(problems), problems=problems)
    increase = amount - locked.amount
    if increase > ZERO:
        check_money(program=program, round_=round_, adding=increase, what="The increase is")

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
