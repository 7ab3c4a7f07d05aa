"""The lead agency withdraws its application, before applications close."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.applications.services import submission as service
from grants.models import StatusChange
from tests.factories import ContactFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def test_a_draft_can_be_withdrawn_before_closing_with_a_reason():
    application = submittable_application()
    lead = lead_of(application)

    service.withdraw_application(
        application=application,
        by=lead,
        reason="The partners chose to apply next year.",
        now=application.round.closes_at - timedelta(seconds=1),
    )

    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    change = StatusChange.objects.get(object_id=application.pk, to_status="withdrawn")
    assert (change.from_status, change.by, change.reason) == ("draft", lead, "The partners chose to apply next year.")


def test_a_submitted_application_can_be_withdrawn_before_closing_without_a_reason(submitted):
    service.withdraw_application(application=submitted, by=lead_of(submitted))

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.WITHDRAWN
    assert StatusChange.objects.get(object_id=submitted.pk, to_status="withdrawn").from_status == "submitted"


@pytest.mark.parametrize("after", [timedelta(0), timedelta(days=1)])
def test_it_refuses_withdrawal_after_closing(submitted, after):
    lead = lead_of(submitted)
    with pytest.raises(Refusal, match="cannot be withdrawn after the deadline"):
        service.withdraw_application(application=submitted, by=lead, now=submitted.round.closes_at + after)

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_a_partner_contact_cannot_withdraw():
    application = submittable_application()
    partner = ContactFactory(consortium=application.consortium, role="partner", user__password=None).user

    with pytest.raises(PermissionDenied):
        service.withdraw_application(application=application, by=partner)


def test_withdrawing_twice_says_so(withdrawn):
    with pytest.raises(Refusal, match="already withdrawn"):
        service.withdraw_application(application=withdrawn, by=lead_of(withdrawn))


def test_the_withdraw_page_withdraws_and_redirects_to_the_application(client):
    application = submittable_application()
    client.force_login(lead_of(application))
    url = reverse("applications:application-withdraw", args=[application.pk])
    assert "Withdraw application" in client.get(url).content.decode()

    response = client.post(url, {"reason": "Merged with a neighbouring consortium."})

    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert StatusChange.objects.get(to_status="withdrawn").reason == "Merged with a neighbouring consortium."


def test_the_withdraw_page_shows_the_refusal_after_closing(client):
    application = submittable_application()
    client.force_login(lead_of(application))
    application.round.__class__.objects.filter(pk=application.round_id).update(
        opens_at=application.round.opens_at - timedelta(days=60),
        closes_at=application.round.opens_at - timedelta(days=1),
    )

    response = client.post(reverse("applications:application-withdraw", args=[application.pk]), {"reason": ""})

    assert response.status_code == 200
    assert "cannot be withdrawn after the deadline" in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_staff_cannot_open_the_withdraw_page(client, staff_user):
    application = submittable_application()
    client.force_login(staff_user)

    assert client.get(reverse("applications:application-withdraw", args=[application.pk])).status_code == 403
