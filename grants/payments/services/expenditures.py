"""What a consortium spent in each fiscal year, by budget category, against its approved budget: the lead agency's
staff enter and submit an expenditure report; program staff accept it or return it with a comment."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from ccpt.lib.money import ZERO
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import BudgetItem
from grants.awards.models import Award

from ..models import ExpenditureLine, ExpenditureReport, ObjectCode
from .payments import lock_award

E = ExpenditureReport.Status


def approved_budget(award: Award, fiscal_year: str) -> dict[str, Decimal]:
    """The approved budget of one fiscal year by object code (every code, $0 where the budget has none)."""
    items = BudgetItem.objects.filter(application_id=award.application_id, fiscal_year=fiscal_year)
    amounts = dict(items.values_list("object_code", "amount"))
    return {code: amounts.get(code, ZERO) for code in ObjectCode.values}


@dataclass(frozen=True)
class VarianceRow:
    object_code: str
    label: str
    budget: Decimal
    spent: Decimal

    @property
    def variance(self) -> Decimal:
        """Budget less spent: positive under budget, negative over."""
        return self.budget - self.spent

    @property
    def spent_percent(self) -> Decimal | None:
        """Spent in percent of the budget, to a tenth; None when the budget is $0."""
        if not self.budget:
            return None
        return (self.spent * 100 / self.budget).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def variance(award: Award, fiscal_year: str, report: ExpenditureReport | None) -> tuple[list[VarianceRow], VarianceRow]:
    """Each category's budget, spent and variance, and the total row."""
    budget = approved_budget(award, fiscal_year)
    spent = dict(report.lines.values_list("object_code", "amount")) if report is not None and report.pk else {}
    rows = [VarianceRow(code, label, budget[code], spent.get(code, ZERO)) for code, label in ObjectCode.choices]
    total = VarianceRow("", "Total", sum((r.budget for r in rows), ZERO), sum((r.spent for r in rows), ZERO))
    return rows, total


def report_of(award: Award, fiscal_year: str) -> ExpenditureReport | None:
    return ExpenditureReport.objects.filter(award=award, fiscal_year=fiscal_year).first()


def spent_reported(award: Award) -> Decimal:
    """What the award's accepted expenditure reports say was spent, every year together."""
    lines = ExpenditureLine.objects.filter(report__award=award, report__status=E.ACCEPTED)
    return lines.aggregate(total=Sum("amount"))["total"] or ZERO


@transaction.atomic
def save_expenditures(*, award: Award, fiscal_year: str, amounts: dict[str, Decimal], by) -> ExpenditureReport:
    """The lead agency's staff enter what was spent in one fiscal year (a draft until submitted)."""
    authorize(by, "payments.file_reports", award)
    locked = lock_award(award)
    if locked.status != Award.Status.ACTIVE:
        raise Refusal(
            f"Award {locked.number} is {workflow.label(locked)}: expenditures are reported while it is active."
        )
    if fiscal_year not in locked.fiscal_years:
        raise Refusal(f"{fiscal_year} is not a fiscal year of award {locked.number}'s grant period.")
    errors = {code: "Enter an amount of $0 or more." for code, amount in amounts.items() if amount < ZERO}
    if set(amounts) - set(ObjectCode.values):
        raise Refusal("Report the budget's categories only.")
    if errors:
        raise Refusal("An amount spent cannot be negative.", errors=errors)
    report = ExpenditureReport.objects.filter(award=locked, fiscal_year=fiscal_year).first()
    if report is None:
        report = ExpenditureReport.objects.create(award=locked, fiscal_year=fiscal_year)
        workflow.record_creation(report, by=by)
    elif not report.is_open:
        raise Refusal(
            f"The {fiscal_year} expenditure report is {workflow.label(report)}: it cannot be changed now. Program "
            "staff return it if it needs changes."
        )
    for code, amount in amounts.items():
        ExpenditureLine.objects.update_or_create(report=report, object_code=code, defaults={"amount": amount})
    return report


@transaction.atomic
def submit_report(*, report: ExpenditureReport, by) -> ExpenditureReport:
    if not report.lines.exists():
        raise Refusal("Enter what was spent in each category first (write 0 for a category with no spending).")
    workflow.transition(report, E.SUBMITTED, by=by, changes={"submitted_by": by, "submitted_at": timezone.now()})
    return report


@transaction.atomic
def decide_report(*, report: ExpenditureReport, by, accept: bool, comment: str = "") -> ExpenditureReport:
    """Program staff accept a submitted report, or return it with a comment saying what to change."""
    comment = (comment or "").strip()
    if not accept:
        comment = require_reason(comment, "Say what the consortium should change; they read it on the report.")
    target = E.ACCEPTED if accept else E.RETURNED
    changes = {"decided_by": by, "decided_at": timezone.now(), "comment": comment}
    workflow.transition(report, target, by=by, reason=comment, changes=changes)
    return report
