"""Demo data: the payments and expenditure reports of the demo's awards, made through the services as people would.

Safe to run again: payments are scheduled once, only scheduled payments are released and only missing reports made.
"""

from datetime import date
from decimal import ROUND_DOWN, Decimal

from django.db import transaction

from ccpt.lib.money import CENT
from consortia.models import Contact
from grants.awards.models import Award
from grants.awards.services.awards import change_status

from .models import ExpenditureReport, Payment
from .services import expenditures, payments
from .services.payments import condition_problem, needs_second_approval

SPENT_SHARE = Decimal("0.92")  # the demo's grantees spend 92% of each category's budget


def _started(year: str) -> date:
    return date(int(year[:4]), 7, 1)


def _ended(year: str) -> date:
    return date(int(year[:4]) + 1, 6, 30)


@transaction.atomic
def load_payments(awards, *, staff, admin, today: date) -> None:
    """For each award: started if only accepted; its payments scheduled; each fiscal year's payment that had
    begun by `today` (the demo's date: which years are past) released, approved when large and paid, in order,
    while the previous year's progress report is accepted; and an accepted expenditure report for each year that
    ended and was paid."""
    # Released now, so paid now: the services never record a payment before its release.
    paid_on = payments.today()
    for award in awards:
        if award.status == Award.Status.ACCEPTED:
            change_status(award=award, target=Award.Status.ACTIVE, by=staff)
        if award.status != Award.Status.ACTIVE:
            continue
        payments.schedule_payments(award=award, by=staff)
        paid_years = []
        for payment in award.payments.order_by("fiscal_year", "pk"):
            if payment.status == Payment.Status.PAID:
                paid_years.append(payment.fiscal_year)
                continue
            if payment.status != Payment.Status.SCHEDULED or _started(payment.fiscal_year) > today:
                break
            if condition_problem(payment):
                break
            payments.release_payment(payment=payment, by=staff)
            if needs_second_approval(payment):
                payments.approve_payment(payment=payment, by=admin)
            payments.record_paid(
                payment=payment, by=staff, paid_on=paid_on, reference=f"W-{award.number}-{payment.fiscal_year}"
            )
            paid_years.append(payment.fiscal_year)
        _expenditure_reports(award, [y for y in paid_years if _ended(y) < today], staff=staff)


def _expenditure_reports(award: Award, years: list[str], *, staff) -> None:
    lead = (
        Contact.objects.filter(consortium=award.consortium, role=Contact.Role.LEAD)
        .exclude(user__groups__name="Administrators")
        .select_related("user")
        .first()
    )
    if lead is None:
        return
    for year in years:
        if ExpenditureReport.objects.filter(award=award, fiscal_year=year).exists():
            continue
        budget = expenditures.approved_budget(award, year)
        spent = {code: (amount * SPENT_SHARE).quantize(CENT, rounding=ROUND_DOWN) for code, amount in budget.items()}
        report = expenditures.save_expenditures(award=award, fiscal_year=year, amounts=spent, by=lead.user)
        expenditures.submit_report(report=report, by=lead.user)
        expenditures.decide_report(report=report, by=staff, accept=True)
