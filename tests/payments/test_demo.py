"""The demo's payments: past years paid in order while the previous progress report is accepted, with accepted
expenditure reports; loading twice changes nothing."""

from datetime import date
from decimal import Decimal

import pytest

from grants.payments.demo import load_payments
from grants.payments.models import ExpenditureReport, PaymentSettings
from tests.factories import UserFactory

from .conftest import active_award, progress_report

pytestmark = pytest.mark.django_db


def test_it_pays_the_past_years_whose_condition_is_met_and_files_their_reports(award, budget, lead, staff_user):
    PaymentSettings.objects.create(program=award.round.program, second_approval_above=Decimal("50000"))
    progress_report(award, "2014-15")  # 2015-16 may be paid; 2016-17 waits for the 2015-16 report
    admin = UserFactory(role="Administrators")
    accepted_award = active_award(status="accepted")  # started by the demo; no contact, so payments only

    for _ in range(2):
        load_payments([award, accepted_award], staff=staff_user, admin=admin, today=date(2016, 12, 1))

    statuses = dict(award.payments.values_list("fiscal_year", "status"))
    assert statuses == {"2014-15": "paid", "2015-16": "paid", "2016-17": "scheduled", "2017-18": "scheduled"}
    assert set(award.payments.filter(status="paid").values_list("approved_by", flat=True)) == {admin.pk}
    reports = ExpenditureReport.objects.filter(award=award)
    assert dict(reports.values_list("fiscal_year", "status")) == {"2014-15": "accepted", "2015-16": "accepted"}
    assert reports.get(fiscal_year="2014-15").lines.get(object_code="1000").amount == Decimal("36800.00")
    assert dict(accepted_award.payments.values_list("fiscal_year", "status"))["2014-15"] == "paid"
