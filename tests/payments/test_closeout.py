"""Staff close an award out once its final progress report and final expenditure report are accepted and every
payment is paid or cancelled; what was paid and not spent is recorded as recovered; nothing more is released or paid
on the closed award, by the services or the database."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.awards.services.awards import change_status
from grants.models import StatusChange
from grants.payments.models import Payment, Recovery
from grants.payments.services.closeout import close_out
from grants.payments.services.expenditures import decide_report, save_expenditures, submit_report
from grants.payments.services.payments import add_payment, cancel_payment, record_paid, release_payment, today

from .conftest import YEARS, progress_report

pytestmark = pytest.mark.django_db


def pay_all(payments, staff):
    for year in YEARS:
        payment = release_payment(payment=payments[year], by=staff, override_reason="Tested elsewhere.")
        record_paid(payment=payment, by=staff, paid_on=today(), reference=f"W-{year}")


def accepted_expenditures(award, lead, staff, spent_per_year="95000"):
    for year in YEARS:
        report = save_expenditures(award=award, fiscal_year=year, amounts={"1000": Decimal(spent_per_year)}, by=lead)
        submit_report(report=report, by=lead)
        decide_report(report=report, by=staff, accept=True)


@pytest.fixture
def ready(award, payments, lead, staff_user):
    """Every payment paid, every report accepted: $400,000 paid, $380,000 spent."""
    pay_all(payments, staff_user)
    accepted_expenditures(award, lead, staff_user)
    progress_report(award, "2017-18")
    return award


def test_it_is_refused_until_the_final_reports_are_accepted_and_payments_settled(award, payments, staff_user):
    with pytest.raises(Refusal) as refused:
        close_out(award=award, by=staff_user)

    assert refused.value.problems == [
        "The final annual progress report (2017-18) is not accepted yet.",
        "The final expenditure report (2017-18) is not accepted yet.",
        "Payments of 2014-15, 2015-16, 2016-17, 2017-18 are neither paid nor cancelled: record each as paid, or "
        "cancel it with a reason.",
    ]
    award.refresh_from_db()
    assert award.status == "active"


def test_closeout_records_the_unspent_money_as_recovered_and_closes(ready, staff_user):
    close_out(award=ready, by=staff_user)

    ready.refresh_from_db()
    assert ready.status == "closed"
    recovery = Recovery.objects.get(award=ready)
    assert (recovery.amount, recovery.at_closeout) == (Decimal("20000.00"), True)
    change = StatusChange.objects.get(object_id=ready.pk, content_type__model="award", to_status="closed")
    assert change.reason == "Closed out: $400,000.00 paid, $380,000.00 spent, $20,000.00 recovered."


def test_money_recovered_before_is_not_recovered_twice(ready, staff_user):
    from grants.payments.services.holds import record_recovery

    record_recovery(award=ready, amount=Decimal("5000"), reason="Returned early.", received_on=today(), by=staff_user)

    close_out(award=ready, by=staff_user)

    assert list(Recovery.objects.filter(award=ready).values_list("amount", flat=True)) == [
        Decimal("5000.00"),
        Decimal("15000.00"),
    ]


def test_nothing_is_released_or_paid_on_a_closed_award(ready, staff_user):
    close_out(award=ready, by=staff_user)
    # A payment that somehow stayed scheduled on the closed award (written without the services):
    Payment.objects.filter(award=ready, fiscal_year="2017-18").update(**{"status": "cancelled"})
    stray = Payment.objects.create(award=ready, fiscal_year="2017-18", amount=Decimal("1.00"), note="Stray.")

    with pytest.raises(Refusal, match="is closed: payments are released and paid only while it is active"):
        release_payment(payment=stray, by=staff_user, override_reason="Trying.")
    with pytest.raises(Refusal, match="is closed: no payment can be added"):
        add_payment(award=ready, fiscal_year="2017-18", amount=Decimal("1"), reason="x", by=staff_user)
    with pytest.raises(IntegrityError, match="payment_only_while_award_active"), transaction.atomic():
        Payment.objects.filter(pk=stray.pk).update(**{"status": "released"}, released_by=staff_user)


def test_closing_from_the_award_page_is_refused_until_the_closeout_conditions_hold(client, award, staff_user):
    client.force_login(staff_user)

    page = client.post(
        reverse("awards:award-status", args=[award.pk]), {"target": "closed", "reason": "Done."}, follow=True
    ).content.decode()

    assert "The final annual progress report (2017-18) is not accepted yet." in page
    award.refresh_from_db()
    assert award.status == "active"


def test_closing_from_the_award_page_with_unspent_money_points_to_the_closeout(ready, staff_user):
    with pytest.raises(Refusal, match=r"\$20,000.00 paid and not spent is not recorded as recovered"):
        change_status(award=ready, target="closed", by=staff_user, reason="Done.")


def test_a_cancelled_payment_counts_as_settled_and_nothing_unspent_is_recovered(award, payments, lead, staff_user):
    for year in YEARS[:3]:
        payment = release_payment(payment=payments[year], by=staff_user, override_reason="Tested elsewhere.")
        record_paid(payment=payment, by=staff_user, paid_on=today(), reference=f"W-{year}")
    cancel_payment(payment=payments["2017-18"], by=staff_user, reason="Not needed: the work was done.")
    accepted_expenditures(award, lead, staff_user, spent_per_year="75000")  # $300,000 spent of $300,000 paid
    progress_report(award, "2017-18")

    close_out(award=award, by=staff_user)

    award.refresh_from_db()
    assert award.status == "closed"
    assert not Recovery.objects.filter(award=award).exists()


def test_the_closeout_page_shows_what_it_settles_then_closes(client, ready, staff_user):
    client.force_login(staff_user)
    url = reverse("payments:closeout", args=[ready.pk])

    page = client.get(url).content.decode()
    assert 'Paid and not spent: recorded as recovered</th><td class="text-end"><strong>$20,000.00' in page

    client.post(url, {"reason": ""})
    ready.refresh_from_db()
    assert ready.status == "closed"
    after = client.get(reverse("payments:award", args=[ready.pk])).content.decode()
    assert "Not paid (the award is closed)" in after
    assert "Unspent at closeout: $400,000.00 paid, $380,000.00 spent" in after
