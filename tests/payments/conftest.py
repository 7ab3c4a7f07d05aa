"""An active award of $400,000 over four fiscal years (2014-15 to 2017-18, $100,000 each), its consortium's lead
contact and a partner contact, and its approved budget."""

from decimal import Decimal

import pytest
from django.utils import timezone

from grants.applications.models import BudgetItem
from grants.awards.models import Award
from grants.payments.services.payments import schedule_payments
from grants.reporting.models import ProgressReport
from tests.factories import AwardFactory, RoundFactory, contact_of

YEARS = ["2014-15", "2015-16", "2016-17", "2017-18"]
# Each year's budget by object code: $100,000 a year.
BUDGET = {"1000": "40000.00", "2000": "20000.00", "3000": "10000.00", "4000": "10000.00", "5000": "20000.00"}


def active_award(amount="400000.00", **fields) -> Award:
    round_ = RoundFactory(status="decided", grant_start_year=2014, grant_years=4)
    return AwardFactory(round=round_, amount=Decimal(amount), **{"status": Award.Status.ACTIVE, **fields})


def progress_report(award, period, status=ProgressReport.Status.ACCEPTED) -> ProgressReport:
    """The award's annual progress report of `period`, in `status` (its workflow is reporting's)."""
    return ProgressReport.objects.create(
        award=award, period=period, title=f"Annual report {period}", due_at=timezone.now(), status=status
    )


@pytest.fixture
def award(db):
    return active_award()


@pytest.fixture
def lead(award):
    return contact_of(award.consortium)


@pytest.fixture
def payments(award, staff_user):
    """The award's payments by fiscal year, scheduled from its instalments."""
    schedule_payments(award=award, by=staff_user)
    return {p.fiscal_year: p for p in award.payments.all()}


@pytest.fixture
def budget(award):
    for year in YEARS:
        for code, amount in BUDGET.items():
            BudgetItem.objects.create(
                application=award.application, fiscal_year=year, object_code=code, amount=Decimal(amount)
            )
