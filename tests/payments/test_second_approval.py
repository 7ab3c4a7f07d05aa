"""A payment above the program's threshold needs an administrator's second approval before it is paid: another
person than the one who released it. At or under the threshold, it needs none."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.payments.models import Payment, PaymentSettings
from grants.payments.services.payments import approve_payment, record_paid, release_payment, today
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def low_threshold(award):
    """The program's second approval above $50,000: each $100,000 payment needs one."""
    return PaymentSettings.objects.create(program=award.round.program, second_approval_above=Decimal("50000.00"))


@pytest.fixture
def released_by_admin(payments, admin_user, low_threshold):
    return release_payment(payment=payments["2014-15"], by=admin_user)


def test_a_large_payment_is_not_paid_before_its_second_approval(payments, staff_user, low_threshold):
    payment = release_payment(payment=payments["2014-15"], by=staff_user)

    with pytest.raises(Refusal, match=r"more than \$50,000.00 needs an administrator's second approval"):
        record_paid(payment=payment, by=staff_user, paid_on=today(), reference="W-1001")
    payment.refresh_from_db()
    assert payment.status == "released"


def test_the_administrator_who_released_it_cannot_approve_it(released_by_admin, admin_user):
    with pytest.raises(Refusal, match="You released this payment: another administrator must approve it"):
        approve_payment(payment=released_by_admin, by=admin_user)
    released_by_admin.refresh_from_db()
    assert released_by_admin.status == "released"


def test_another_administrator_approves_it_then_it_is_paid(released_by_admin, staff_user):
    second = UserFactory(role="Administrators")

    approve_payment(payment=released_by_admin, by=second)
    record_paid(payment=released_by_admin, by=staff_user, paid_on=today(), reference="W-1001")

    released_by_admin.refresh_from_db()
    assert (released_by_admin.status, released_by_admin.approved_by) == ("paid", second)


def test_program_staff_cannot_give_the_second_approval(client, released_by_admin, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("payments:approve", args=[released_by_admin.pk]))

    assert response.status_code == 403
    released_by_admin.refresh_from_db()
    assert released_by_admin.status == "released"


def test_the_same_person_is_refused_on_the_page_with_the_reason(client, released_by_admin, admin_user):
    client.force_login(admin_user)

    page = client.post(reverse("payments:approve", args=[released_by_admin.pk]), follow=True).content.decode()

    assert "another administrator must approve it" in page


def test_a_payment_under_the_threshold_needs_no_second_approval(payments, staff_user, admin_user):
    payment = release_payment(payment=payments["2014-15"], by=staff_user)  # $100,000, under the default $1,000,000

    with pytest.raises(Refusal, match="needs no second approval. Record it as paid."):
        approve_payment(payment=payment, by=admin_user)
    record_paid(payment=payment, by=staff_user, paid_on=today(), reference="W-1001")
    payment.refresh_from_db()
    assert payment.status == "paid"


def test_the_database_refuses_an_approval_by_the_person_who_released_it(released_by_admin, admin_user):
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.filter(pk=released_by_admin.pk).update(approved_by=admin_user)
