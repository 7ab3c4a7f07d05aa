"""Closing an award out: once its final fiscal year's progress report and expenditure report are accepted and every
payment is paid or cancelled, the money paid and not spent (by the accepted expenditure reports) is recorded as
recovered, and the award moves to closed through the workflow. Nothing is released or paid on a closed award after.

The money to recover is what was paid less what was spent and what was recovered already: money never paid is not
the consortium's to return (the award's amount less what was spent, when every payment was made).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction

from ccpt.lib.money import ZERO, format_money
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants import workflow
from grants.awards.models import Award
from grants.reporting.models import ProgressReport

from ..models import ExpenditureReport, Payment
from .expenditures import spent_reported
from .holds import paid, record_recovery, recovered
from .payments import lock_award, today


@dataclass(frozen=True)
class Settlement:
    paid: Decimal
    spent: Decimal
    recovered: Decimal

    @property
    def to_recover(self) -> Decimal:
        return max(self.paid - self.spent - self.recovered, ZERO)


def settlement(award: Award) -> Settlement:
    return Settlement(paid=paid(award), spent=spent_reported(award), recovered=recovered(award))


def closeout_conditions(award: Award) -> list[str]:
    """What must happen before the award can be closed out, in words; empty when it can be."""
    final = award.fiscal_years[-1]
    problems = []
    progress = ProgressReport.objects.filter(award=award, period=final, status=ProgressReport.Status.ACCEPTED)
    if not progress.exists():
        problems.append(f"The final annual progress report ({final}) is not accepted yet.")
    expenditures = ExpenditureReport.objects.filter(
        award=award, fiscal_year=final, status=ExpenditureReport.Status.ACCEPTED
    )
    if not expenditures.exists():
        problems.append(f"The final expenditure report ({final}) is not accepted yet.")
    open_payments = award.payments.exclude(status__in=(Payment.Status.PAID, Payment.Status.CANCELLED))
    if years := sorted(open_payments.values_list("fiscal_year", flat=True)):
        problems.append(
            f"Payments of {', '.join(years)} are neither paid nor cancelled: record each as paid, or cancel it "
            "with a reason."
        )
    return problems


def closing_problems(award: Award) -> list[str]:
    """The workflow's guard on closing an award: the closeout conditions, and its unspent money recorded as
    recovered (which close_out does)."""
    problems = closeout_conditions(award)
    if not problems and (owed := settlement(award).to_recover) > ZERO:
        problems.append(
            f"{format_money(owed)} paid and not spent is not recorded as recovered: close the award out from its "
            "payments page, which records it."
        )
    return problems


@transaction.atomic
def close_out(*, award: Award, by, reason: str = "", received_on: date | None = None) -> Award:
    """Staff close the award out: its unspent money recorded as recovered, then closed."""
    authorize(by, "payments.manage_payments", award)
    locked = lock_award(award)
    if locked.status != Award.Status.ACTIVE:
        raise Refusal(f"Award {locked.number} is {workflow.label(locked)}: only an active award is closed out.")
    if problems := closeout_conditions(locked):
        raise Refusal(" ".join(problems), problems=problems)
    figures = settlement(locked)
    if figures.to_recover > ZERO:
        record_recovery(
            award=locked,
            amount=figures.to_recover,
            reason=f"Unspent at closeout: {format_money(figures.paid)} paid, {format_money(figures.spent)} spent "
            "(accepted expenditure reports).",
            received_on=received_on or today(),
            by=by,
            at_closeout=True,
        )
    summary = (reason or "").strip() or (
        f"Closed out: {format_money(figures.paid)} paid, {format_money(figures.spent)} spent, "
        f"{format_money(figures.recovered + figures.to_recover)} recovered."
    )
    workflow.transition(award, Award.Status.CLOSED, by=by, reason=summary)
    return award
