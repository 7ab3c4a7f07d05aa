"""Staff record a payment as paid with the warrant or reference number and the day it was paid, never in the
future; the schedule's instalment shows it paid and the audit trail says who paid what."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.payments.models import Payment
from grants.payments.services.payments import record_paid, release_payment, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def released(payments, staff_user):
    return release_payment(payment=payments["2014-15"], by=staff_user)


def test_the_reference_and_the_date_are_required(released, staff_user):
    with pytest.raises(Refusal) as refused:
        record_paid(payment=released, by=staff_user, paid_on=None, reference="  ")

    assert refused.value.errors == {
        "reference": "Enter the warrant or reference number of the payment.",
        "paid_on": "Enter the date it was paid.",
    }
    released.refresh_from_db()
    assert released.status == "released"


def test_a_date_in_the_future_is_refused(released, staff_user):
    with pytest.raises(Refusal, match="cannot be in the future"):
        record_paid(payment=released, by=staff_user, paid_on=today() + timedelta(days=1), reference="W-77")


def test_paid_shows_on_the_schedule_and_the_audit_trail(client, award, released, staff_user):
    record_paid(payment=released, by=staff_user, paid_on=today(), reference=" W-2014 0815 ")

    released.refresh_from_db()
    assert (released.status, released.reference, released.paid_on) == ("paid", "W-2014 0815", today())
    assert released.instalment.paid_on == today()
    event = Event.objects.get(action="money", object_id=released.pk)
    assert event.actor == staff_user
    assert "Paid $100,000.00" in event.summary and "W-2014 0815" in event.summary
    client.force_login(staff_user)
    award_page = client.get(reverse("awards:award", args=[award.pk])).content.decode()
    assert "Paid on" in award_page


def test_the_page_keeps_what_was_typed_and_says_what_is_missing(client, released, staff_user):
    client.force_login(staff_user)

    page = client.post(reverse("payments:paid", args=[released.pk]), {"reference": "W-9", "paid_on": ""})

    html = page.content.decode()
    assert "Enter the date." in html
    assert 'value="W-9"' in html


def test_the_database_refuses_a_paid_payment_without_its_reference(released):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=released.pk).update(status="paid", paid_on=today())
