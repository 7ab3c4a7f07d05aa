"""Staff release a payment when its condition is met: the previous fiscal year's annual progress report accepted (the
first year's payment has none); earlier only with a written reason, which is kept."""

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from grants.models import StatusChange
from grants.payments.services.payments import release_payment

from .conftest import progress_report

pytestmark = pytest.mark.django_db


def test_the_first_years_payment_is_released_without_a_condition(payments, staff_user):
    payment = release_payment(payment=payments["2014-15"], by=staff_user)

    payment.refresh_from_db()
    assert (payment.status, payment.released_by, payment.condition_override) == ("released", staff_user, "")


def test_the_next_years_payment_waits_for_the_previous_report(award, payments, staff_user):
    with pytest.raises(Refusal) as refused:
        release_payment(payment=payments["2015-16"], by=staff_user)

    assert refused.value.message.startswith(
        f"The 2014-15 annual progress report of award {award.number} has not been started, not accepted: the "
        "2015-16 payment is released once program staff accept it."
    )
    payments["2015-16"].refresh_from_db()
    assert payments["2015-16"].status == "scheduled"


def test_a_submitted_report_is_not_enough(award, payments, staff_user):
    progress_report(award, "2014-15", status="submitted")

    with pytest.raises(Refusal, match="report of award .* is submitted, not accepted"):
        release_payment(payment=payments["2015-16"], by=staff_user)


def test_once_the_previous_report_is_accepted_it_is_released(award, payments, staff_user):
    progress_report(award, "2014-15")

    release_payment(payment=payments["2015-16"], by=staff_user)

    payments["2015-16"].refresh_from_db()
    assert payments["2015-16"].status == "released"


def test_staff_override_the_condition_only_with_a_reason_which_is_kept(client, award, payments, staff_user):
    client.force_login(staff_user)
    url = reverse("payments:release", args=[payments["2016-17"].pk])

    refused = client.post(url, {"override_reason": "  "}).content.decode()
    assert "The 2015-16 annual progress report" in refused
    assert "give your reason for overriding it here" in refused

    client.post(url, {"override_reason": "The report was delayed by the county's wildfire closures."})

    payment = payments["2016-17"]
    payment.refresh_from_db()
    assert payment.status == "released"
    assert payment.condition_override == "The report was delayed by the county's wildfire closures."
    change = StatusChange.objects.get(object_id=payment.pk, to_status="released")
    assert change.reason == "Condition overridden: The report was delayed by the county's wildfire closures."
    assert Event.objects.filter(object_id=payment.pk, summary__contains="wildfire").exists()
    page = client.get(reverse("payments:award", args=[award.pk])).content.decode()
    assert "Released before its condition was met: The report was delayed" in page


def test_nothing_is_released_while_the_award_is_not_active(payments, staff_user):
    from grants.awards.services.awards import change_status

    award = payments["2014-15"].award
    change_status(award=award, target="withdrawn", by=staff_user, reason="The consortium dissolved.")

    with pytest.raises(Refusal, match="is withdrawn: payments are released and paid only while it is active"):
        release_payment(payment=payments["2014-15"], by=staff_user)
