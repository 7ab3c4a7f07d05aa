"""The submit confirmation page and its POST, as the lead contact sees them."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from grants.applications.models import Application, Submission
from grants.programs.models import Round
from tests.factories import ContactFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def submit_url(application):
    return reverse("applications:application-submit", args=[application.pk])


def test_the_confirmation_page_shows_the_checklist_and_the_deadline(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    response = client.get(submit_url(application))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Every section is complete: passed." in html
    assert "Pacific time" in html
    assert 'name="confirm"' in html


def test_it_asks_for_the_confirmation_box_and_keeps_the_draft(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    response = client.post(submit_url(application), {})

    assert response.status_code == 200
    assert "Confirm that you may submit this application for the lead agency." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submitting_redirects_to_the_submitted_copy_with_a_message(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    response = client.post(submit_url(application), {"confirm": "on"}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("applications:submission", args=[application.pk])
    html = response.content.decode()
    assert f"Application {application.number} was submitted on" in html
    assert Submission.objects.get(application=application).checksum in html


def test_a_second_tab_is_told_it_was_already_submitted_and_nothing_is_submitted_twice(client):
    application = submittable_application()
    client.force_login(lead_of(application))
    client.post(submit_url(application), {"confirm": "on"})

    response = client.post(submit_url(application), {"confirm": "on"}, follow=True)

    assert "was already submitted on" in response.content.decode()
    assert Submission.objects.filter(application=application).count() == 1


def test_an_incomplete_application_shows_what_blocks_it_and_offers_no_form(client):
    application = submittable_application()
    Application.objects.filter(pk=application.pk).update(title="")
    client.force_login(lead_of(application))

    response = client.get(submit_url(application))

    html = response.content.decode()
    assert "Every section is complete: not yet." in html
    assert "Not ready to submit:" in html
    assert 'name="confirm"' not in html


def test_a_post_after_the_deadline_is_refused_with_the_reason(client):
    application = submittable_application()
    client.force_login(lead_of(application))
    client.get(submit_url(application))  # the page was opened in time...
    Round.objects.filter(pk=application.round_id).update(
        opens_at=timezone.now() - timedelta(days=2), closes_at=timezone.now() - timedelta(seconds=1)
    )

    response = client.post(submit_url(application), {"confirm": "on"})  # ...and sent too late

    assert response.status_code == 200
    html = response.content.decode()
    assert "Not submitted:" in html
    assert "The deadline for" in html
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_a_partner_contact_may_not_open_the_submit_page(client):
    application = submittable_application()
    client.force_login(ContactFactory(consortium=application.consortium, role="partner", user__password=None).user)

    assert client.get(submit_url(application)).status_code == 403
    assert client.post(submit_url(application), {"confirm": "on"}).status_code == 403
    assert not Submission.objects.exists()
