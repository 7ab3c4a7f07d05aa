"""Staff hold an award's payments with a reason: nothing is released, approved or paid until they lift it, with a
reason. At most one hold is open at a time."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.payments.models import AwardHold
from grants.payments.services.holds import lift_hold, place_hold
from grants.payments.services.payments import record_paid, release_payment, today

pytestmark = pytest.mark.django_db
REASON = "The consortium has not answered the findings of the monitoring visit."


def test_a_hold_blocks_release(award, payments, staff_user):
    place_hold(award=award, by=staff_user, reason=REASON)

    with pytest.raises(Refusal, match=f"are on hold since .*: {REASON} Lift the hold first."):
        release_payment(payment=payments["2014-15"], by=staff_user)
    payments["2014-15"].refresh_from_db()
    assert payments["2014-15"].status == "scheduled"


def test_a_hold_blocks_payment_of_a_released_payment(award, payments, staff_user):
    payment = release_payment(payment=payments["2014-15"], by=staff_user)
    place_hold(award=award, by=staff_user, reason=REASON)

    with pytest.raises(Refusal, match="on hold"):
        record_paid(payment=payment, by=staff_user, paid_on=today(), reference="W-1")
    payment.refresh_from_db()
    assert payment.status == "released"


def test_lifting_the_hold_lets_payments_go_again(award, payments, staff_user):
    place_hold(award=award, by=staff_user, reason=REASON)

    lift_hold(award=award, by=staff_user, reason="The findings were answered on March 3.")
    release_payment(payment=payments["2014-15"], by=staff_user)

    hold = AwardHold.objects.get()
    assert (hold.lifted_by, hold.lift_reason) == (staff_user, "The findings were answered on March 3.")
    payments["2014-15"].refresh_from_db()
    assert payments["2014-15"].status == "released"
    summaries = list(Event.objects.filter(action="money", object_id=award.pk).values_list("summary", flat=True))
    assert f"Payments of award {award.number} held: {REASON}" in summaries
    assert f"Hold on the payments of award {award.number} lifted: The findings were answered on March 3." in summaries


def test_a_hold_and_its_lifting_need_reasons(award, staff_user):
    with pytest.raises(Refusal, match="Say why the payments are held"):
        place_hold(award=award, by=staff_user, reason="  ")
    place_hold(award=award, by=staff_user, reason=REASON)
    with pytest.raises(Refusal, match="Say why the hold is lifted"):
        lift_hold(award=award, by=staff_user, reason="")
    assert AwardHold.objects.get().lifted_at is None


def test_a_second_hold_while_one_is_open_is_refused(award, staff_user):
    place_hold(award=award, by=staff_user, reason=REASON)

    with pytest.raises(Refusal, match="already on hold"):
        place_hold(award=award, by=staff_user, reason="Another reason.")
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardHold.objects.create(award=award, reason="Skipping the service.", placed_by=staff_user)
    assert AwardHold.objects.count() == 1


def test_the_consortium_reads_why_its_payments_are_held(client, award, lead, staff_user):
    place_hold(award=award, by=staff_user, reason=REASON)
    client.force_login(lead)

    page = client.get(reverse("payments:award", args=[award.pk])).content.decode()

    assert "Payments on hold" in page and REASON in page
    assert "Lift the hold" not in page


def test_staff_hold_and_lift_from_the_page(client, award, staff_user):
    client.force_login(staff_user)

    empty = client.post(reverse("payments:hold", args=[award.pk]), {"hold-reason": ""}).content.decode()
    assert "Give a reason; it is kept in the record." in empty
    client.post(reverse("payments:hold", args=[award.pk]), {"hold-reason": REASON})
    assert AwardHold.objects.filter(lifted_at__isnull=True).exists()
    client.post(reverse("payments:lift-hold", args=[award.pk]), {"lift-reason": "Answered."})
    assert not AwardHold.objects.filter(lifted_at__isnull=True).exists()
