"""Recovered funds, and the ledger of an award's money on its payments page."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.payments.models import Recovery
from grants.payments.services.holds import place_hold, record_recovery
from grants.payments.services.payments import ledger, record_paid, release_payment, today

from .conftest import progress_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def paid_first(payments, staff_user):
    payment = release_payment(payment=payments["2014-15"], by=staff_user)
    return record_paid(payment=payment, by=staff_user, paid_on=today(), reference="W-1")


def test_a_recovery_is_recorded_with_its_reason(award, paid_first, staff_user):
    record_recovery(
        award=award, amount=Decimal("12500.00"), reason="Unallowable travel costs.", received_on=today(), by=staff_user
    )

    assert Recovery.objects.get().amount == Decimal("12500.00")
    assert Event.objects.filter(action="money", summary__contains="Recovered $12,500.00").exists()


def test_no_more_is_recovered_than_was_paid(award, paid_first, staff_user):
    record_recovery(award=award, amount=Decimal("90000.00"), reason="Misspent.", received_on=today(), by=staff_user)

    with pytest.raises(Refusal, match=r"\$20,000.00 is more than the \$10,000.00 paid to the consortium"):
        record_recovery(award=award, amount=Decimal("20000.00"), reason="More.", received_on=today(), by=staff_user)


def test_a_recovery_received_in_the_future_is_refused(award, paid_first, staff_user):
    with pytest.raises(Refusal, match="cannot be in the future"):
        record_recovery(
            award=award, amount=Decimal("1.00"), reason="x", received_on=today() + timedelta(days=2), by=staff_user
        )


def test_the_ledger_adds_up(award, payments, paid_first, staff_user):
    progress_report(award, "2014-15")
    release_payment(payment=payments["2015-16"], by=staff_user)
    record_recovery(award=award, amount=Decimal("5000.00"), reason="Unspent.", received_on=today(), by=staff_user)
    place_hold(award=award, by=staff_user, reason="Audit finding.")

    book = ledger(award)

    assert (book.awarded, book.paid, book.released, book.scheduled) == (
        Decimal("400000.00"),
        Decimal("100000.00"),
        Decimal("100000.00"),
        Decimal("200000.00"),
    )
    assert (book.held, book.recovered, book.net_paid, book.unpaid, book.outside_payments) == (
        Decimal("300000.00"),
        Decimal("5000.00"),
        Decimal("95000.00"),
        Decimal("300000.00"),
        Decimal("0.00"),
    )


def test_the_page_shows_the_ledger_to_the_consortium(client, award, paid_first, lead, staff_user):
    record_recovery(award=award, amount=Decimal("5000.00"), reason="Unspent.", received_on=today(), by=staff_user)
    client.force_login(lead)

    page = client.get(reverse("payments:award", args=[award.pk])).content.decode()

    assert 'Awarded (amendments included)</th><td class="text-end">$400,000.00' in page
    assert 'Net paid (paid less recovered)</th><td class="text-end">$95,000.00' in page
    assert 'left to pay (awarded less paid)</th><td class="text-end"><strong>$300,000.00' in page
    assert "Record the recovery" not in page and "Hold the payments" not in page


def test_staff_record_a_recovery_once_per_click(client, award, paid_first, staff_user):
    client.force_login(staff_user)
    form = {"recovery-amount": "2,500", "recovery-received_on": today().isoformat(), "recovery-reason": "Returned."}
    form["recovery-click"] = "a" * 32

    client.post(reverse("payments:recovery", args=[award.pk]), form)
    again = client.post(reverse("payments:recovery", args=[award.pk]), form, follow=True).content.decode()

    assert Recovery.objects.get().amount == Decimal("2500.00")
    assert "The same form was sent twice; it was recorded once." in again
