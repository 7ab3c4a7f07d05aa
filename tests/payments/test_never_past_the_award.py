"""The non-cancelled payments of an award never add up to more than its amount: the services refuse it under a lock
of the award's row, and the database refuses it even from code that skips them (migrations/0002_payment_guards.py).
Two people adding payments at once that together exceed the award: exactly one wins."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ccpt.lib.refusal import Refusal
from grants.payments.models import Payment
from grants.payments.services.payments import add_payment, cancel_payment, schedule_payments
from tests.factories import UserFactory
from tests.helpers import race

from .conftest import active_award

pytestmark = pytest.mark.django_db


def test_adding_a_payment_past_the_award_is_refused(award, payments, staff_user):
    with pytest.raises(Refusal) as refused:
        add_payment(award=award, fiscal_year="2016-17", amount=Decimal("0.01"), reason="Extra.", by=staff_user)

    assert refused.value.message == (
        f"A payment of $0.01 would bring the payments of award {award.number} to $400,000.01, more than its "
        "$400,000.00: $0.00 is left to schedule."
    )
    assert award.payments.count() == 4


def test_a_cancelled_payment_leaves_room_for_one_outside_the_schedule(award, payments, staff_user):
    cancel_payment(payment=payments["2016-17"], by=staff_user, reason="Replaced by two smaller payments.")

    add_payment(award=award, fiscal_year="2016-17", amount=Decimal("60000.00"), reason="First half.", by=staff_user)
    with pytest.raises(Refusal, match=r"\$40,000.00 is left to schedule"):
        add_payment(award=award, fiscal_year="2016-17", amount=Decimal("60000.00"), reason="Second.", by=staff_user)


def test_the_database_refuses_a_payment_past_the_award_from_code_that_skips_the_services(award, payments):
    with pytest.raises(IntegrityError, match="payments_within_award"), transaction.atomic():
        Payment.objects.create(award=award, fiscal_year="2017-18", amount=Decimal("1.00"), note="Skips the service.")
    assert award.payments.count() == 4


def test_the_database_refuses_raising_a_payment_past_the_award(award, payments):
    with pytest.raises(IntegrityError, match="payments_within_award"), transaction.atomic():
        Payment.objects.filter(pk=payments["2014-15"].pk).update(amount=Decimal("100000.01"))


def test_the_database_refuses_bringing_back_a_cancelled_payment_past_the_award(award, payments, staff_user):
    cancel_payment(payment=payments["2014-15"], by=staff_user, reason="Replaced.")
    add_payment(award=award, fiscal_year="2014-15", amount=Decimal("100000.00"), reason="Replacement.", by=staff_user)

    with pytest.raises(IntegrityError, match="payments_within_award"), transaction.atomic():
        Payment.objects.filter(pk=payments["2014-15"].pk).update(**{"status": "scheduled"})


def _adder(award, staff):
    def add():
        try:
            add_payment(award=award, fiscal_year="2016-17", amount=Decimal("60000.00"), reason="Race.", by=staff)
            return "added"
        except Refusal as refusal:
            return refusal.message

    return add


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_people_adding_payments_at_once_never_exceed_the_award():
    """Cancelling the $100,000 of 2016-17 leaves $100,000; each $60,000 fits on its own, not together."""
    award = active_award()
    staff = [UserFactory(role="Program staff"), UserFactory(role="Program staff")]
    schedule_payments(award=award, by=staff[0])
    cancel_payment(payment=award.payments.get(fiscal_year="2016-17"), by=staff[0], reason="Replaced.")

    outcomes = race(*(_adder(award, person) for person in staff))

    assert sorted(outcomes) == [
        f"A payment of $60,000.00 would bring the payments of award {award.number} to $420,000.00, more than its "
        "$400,000.00: $40,000.00 is left to schedule.",
        "added",
    ]
    assert sum(p.amount for p in award.payments.exclude(status="cancelled")) == Decimal("360000.00")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_transactions_skipping_the_services_at_once_cannot_both_over_pay():
    """Without the services' lock, the database's guard locks the award's row itself: one insert waits for the
    other's commit, then sees its payment and is refused."""
    award = active_award()
    schedule_payments(award=award, by=UserFactory(role="Program staff"))
    Payment.objects.filter(award=award, fiscal_year="2017-18").update(**{"status": "cancelled"})

    def insert():
        try:
            with transaction.atomic():
                Payment.objects.create(award=award, fiscal_year="2017-18", amount=Decimal("60000.00"), note="Raw.")
            return "inserted"
        except IntegrityError as error:
            return "refused" if "payments_within_award" in str(error) else str(error)

    assert sorted(race(insert, insert)) == ["inserted", "refused"]
    assert sum(p.amount for p in award.payments.exclude(status="cancelled")) == Decimal("360000.00")


# ---- Amendments: never below what was released or paid ----------------------------------------------------------


def test_an_amendment_waits_while_a_payment_is_released_and_not_yet_paid(award, payments, staff_user):
    from grants.awards.services.awards import amend
    from grants.payments.services.payments import release_payment

    release_payment(payment=payments["2014-15"], by=staff_user)

    with pytest.raises(Refusal) as refused:
        amend(award=award, by=staff_user, amount=Decimal("50000.00"), start_year=2014, years=4, reason="Cut.")

    assert refused.value.message == (
        "The 2014-15 payment of $100,000.00 is released and not yet paid: record it as paid, or cancel it, before "
        "amending the award."
    )
    award.refresh_from_db()
    assert award.amount == Decimal("400000.00") and not award.amendments.exists()


def test_the_database_refuses_lowering_an_award_below_what_was_released(award, payments, staff_user):
    from grants.awards.models import Award
    from grants.payments.services.payments import release_payment

    release_payment(payment=payments["2014-15"], by=staff_user)

    with pytest.raises(IntegrityError, match="award_amount_covers_payments"), transaction.atomic():
        Award.objects.filter(pk=award.pk).update(amount=Decimal("99999.99"))
    Award.objects.filter(pk=award.pk).update(amount=Decimal("100000.00"))  # down to what was released: allowed
