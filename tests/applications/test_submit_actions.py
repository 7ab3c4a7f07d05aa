"""The overview page's submission actions (_actions.html), rendered with only what the overview passes."""

from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from grants.applications.models import Application
from grants.applications.services import submission as service
from grants.programs.closing import closing
from grants.programs.models import Round
from tests.factories import ContactFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def render(application, user, *, can_submit=False, can_edit=False):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "application": application,
        "can_submit": can_submit,
        "can_edit": can_edit,
        "now": timezone.now(),
        "closing": closing(application.round),
    }
    return render_to_string("applications/_actions.html", context, request=request)


def test_a_ready_draft_offers_the_lead_contact_an_enabled_submit_button():
    application = submittable_application()

    html = render(application, lead_of(application), can_submit=True, can_edit=True)

    assert f'href="{reverse("applications:application-submit", args=[application.pk])}">Submit application</a>' in html
    assert "disabled" not in html
    assert "Withdraw application" in html


def test_an_incomplete_draft_disables_submit_and_says_what_blocks_it():
    application = submittable_application()
    Application.objects.filter(pk=application.pk).update(title="")

    html = render(application, lead_of(application), can_submit=False, can_edit=True)

    assert 'disabled aria-describedby="submit-blocked">Submit application</button>' in html
    assert "Cannot submit yet:" in html
    assert "some sections are incomplete or an eligibility check has not passed" in html
    assert "See what is missing" in html


def test_a_partner_contact_is_told_only_lead_staff_submit_and_cannot_withdraw():
    application = submittable_application()
    partner = ContactFactory(consortium=application.consortium, role="partner", user__password=None).user

    html = render(application, partner, can_submit=False, can_edit=True)

    assert "only the consortium's lead agency staff can submit" in html
    assert "Withdraw application" not in html


def test_after_the_deadline_the_note_says_the_round_is_not_accepting_applications():
    application = submittable_application()
    Round.objects.filter(pk=application.round_id).update(
        opens_at=application.round.opens_at - timedelta(days=60),
        closes_at=application.round.opens_at - timedelta(days=1),
    )
    application.refresh_from_db()

    html = render(application, lead_of(application), can_submit=False, can_edit=True)

    assert "is not accepting applications now" in html


def test_staff_see_accept_late_on_a_draft_after_the_deadline(staff_user):
    application = submittable_application()
    Round.objects.filter(pk=application.round_id).update(
        opens_at=application.round.opens_at - timedelta(days=60),
        closes_at=application.round.opens_at - timedelta(days=1),
    )
    application.refresh_from_db()

    html = render(application, staff_user)

    assert reverse("applications:application-accept-late", args=[application.pk]) in html
    assert "Withdraw application" not in html


def test_staff_see_reopen_on_a_submitted_application_and_the_lead_sees_withdraw(staff_user):
    application = submittable_application()
    lead = lead_of(application)
    service.submit_application(application=application, by=lead)

    staff_html = render(application, staff_user)
    lead_html = render(application, lead)

    assert reverse("applications:application-reopen", args=[application.pk]) in staff_html
    assert reverse("applications:submission", args=[application.pk]) in staff_html
    assert "Reopen for changes" not in lead_html
    assert reverse("applications:application-withdraw", args=[application.pk]) in lead_html


def test_a_withdrawn_application_says_so():
    application = submittable_application()
    lead = lead_of(application)
    service.withdraw_application(application=application, by=lead)

    html = render(application, lead)

    assert "Withdrawn: this application is out of the competition." in html
    assert "Submit application" not in html


def test_the_overview_page_includes_the_actions(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    html = client.get(application.get_absolute_url()).content.decode()

    assert reverse("applications:application-submit", args=[application.pk]) in html
    assert reverse("applications:attachments", args=[application.pk]) in html
