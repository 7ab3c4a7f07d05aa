"""An award's payments are made from its instalments, once, when staff open its payments; they follow an amendment."""

from decimal import Decimal

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from grants.awards.services.awards import amend
from grants.models import StatusChange
from grants.payments.models import Payment
from grants.payments.services.payments import schedule_payments
from tests.factories import AwardFactory

from .conftest import YEARS

pytestmark = pytest.mark.django_db


def test_it_makes_one_scheduled_payment_per_instalment(award, staff_user):
    made = schedule_payments(award=award, by=staff_user)

    assert [(p.fiscal_year, p.amount, p.status) for p in made] == [
        (year, Decimal("100000.00"), "scheduled") for year in YEARS
    ]
    assert StatusChange.objects.filter(content_type__model="payment", to_status="scheduled", by=staff_user).count() == 4


def test_running_it_again_makes_nothing_more(award, staff_user):
    schedule_payments(award=award, by=staff_user)

    assert schedule_payments(award=award, by=staff_user) == []
    assert award.payments.count() == 4


def test_opening_the_payments_page_schedules_them_for_staff(client, award, staff_user):
    client.force_login(staff_user)

    page = client.get(reverse("payments:award", args=[award.pk])).content.decode()

    assert "Scheduled 4 payments from the award&#x27;s instalments." in page
    assert award.payments.filter(status="scheduled").count() == 4
    assert client.get(reverse("payments:award", args=[award.pk])).status_code == 200
    assert award.payments.count() == 4


def test_a_contact_opening_the_page_schedules_nothing(client, award, lead):
    client.force_login(lead)

    page = client.get(reverse("payments:award", args=[award.pk])).content.decode()

    assert "No payments yet: program staff schedule them" in page
    assert not award.payments.exists()


def test_an_offered_award_has_no_payments_yet(staff_user):
    offered = AwardFactory()

    assert schedule_payments(award=offered, by=staff_user) == []
    assert not Payment.objects.exists()


def test_scheduled_payments_follow_an_amendment_and_paid_ones_do_not_change(award, payments, staff_user):
    amend(award=award, by=staff_user, amount=Decimal("300000.00"), start_year=2014, years=4, reason="Cut by the Board.")

    schedule_payments(award=award, by=staff_user)

    amounts = dict(award.payments.values_list("fiscal_year", "amount"))
    assert amounts == dict.fromkeys(YEARS, Decimal("75000.00"))
    assert Event.objects.filter(action="money", summary__contains="follows its amended instalment").count() == 4


def test_a_payment_whose_instalment_an_amendment_removed_is_cancelled(award, payments, staff_user):
    amend(award=award, by=staff_user, amount=Decimal("300000.00"), start_year=2014, years=3, reason="Shortened.")

    schedule_payments(award=award, by=staff_user)

    cancelled = award.payments.get(fiscal_year="2017-18")
    assert cancelled.status == "cancelled"
    assert StatusChange.objects.get(object_id=cancelled.pk, to_status="cancelled").reason == (
        "An amendment of the award removed its instalment."
    )
    assert sum(p.amount for p in award.payments.exclude(status="cancelled")) == Decimal("300000.00")
