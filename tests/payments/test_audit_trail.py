"""Every state change of a payment, hold, recovery, report, revision and closeout is on the audit trail, with who."""

from decimal import Decimal

import pytest

from ccpt.audit.models import Event
from grants.payments.services.closeout import close_out
from grants.payments.services.expenditures import decide_report, save_expenditures, submit_report
from grants.payments.services.holds import lift_hold, place_hold
from grants.payments.services.payments import add_payment, cancel_payment, record_paid, release_payment, today
from grants.payments.services.revisions import request_revision

from .conftest import YEARS, progress_report

pytestmark = pytest.mark.django_db


def test_a_whole_award_life_leaves_a_line_for_each_change(award, payments, budget, lead, staff_user):
    place_hold(award=award, by=staff_user, reason="Visit pending.")
    lift_hold(award=award, by=staff_user, reason="Visit done.")
    cancel_payment(payment=payments["2017-18"], by=staff_user, reason="Split in two.")
    extra = add_payment(
        award=award, fiscal_year="2017-18", amount=Decimal("100000"), reason="Replacement.", by=staff_user
    )
    for payment in [*(payments[y] for y in YEARS[:3]), extra]:
        release_payment(payment=payment, by=staff_user, override_reason="Audit test.")
        record_paid(payment=payment, by=staff_user, paid_on=today(), reference="W")
    request_revision(
        award=award,
        fiscal_year="2014-15",
        amounts={"1000": Decimal("39000"), "2000": Decimal("21000")},
        reason="Aide.",
        by=lead,
    )
    for year in YEARS:
        report = save_expenditures(award=award, fiscal_year=year, amounts={"1000": Decimal("90000")}, by=lead)
        submit_report(report=report, by=lead)
        decide_report(report=report, by=staff_user, accept=True)
    progress_report(award, "2017-18")
    before = Event.objects.count()

    close_out(award=award, by=staff_user)

    summaries = list(Event.objects.values_list("actor__email", "summary"))
    texts = [text for _, text in summaries]
    assert Event.objects.count() == before + 2  # the recovery and the award's closing
    for expected in [
        "held: Visit pending.",
        "lifted: Visit done.",
        "Payment: Scheduled → cancelled (Split in two.)",
        "Payment: Created, scheduled (Replacement.)",
        "Payment: Scheduled → released (Condition overridden: Audit test.)",
        "Payment: Released → paid",
        "Paid $100,000.00",
        "Budget revision: Created, applied at once (under the threshold) (Aide.)",
        "Expenditure report: Created, draft",
        "Expenditure report: Draft → submitted",
        "Expenditure report: Submitted → accepted",
        "Recovered $40,000.00",
        "Award: Active → closed",
    ]:
        assert any(expected in text for text in texts), expected
    assert all(email in (staff_user.email, lead.email) for email, _ in summaries)
