"""The submitted application, read-only from its snapshot: printable, and as a PDF."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from grants.applications.models import Application
from grants.applications.services import submission as service
from tests.factories import ContactFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission():
    application = submittable_application()
    return service.submit_application(application=application, by=lead_of(application))


def page(submission):
    return reverse("applications:submission", args=[submission.application_id])


def test_it_renders_the_snapshot_not_the_live_draft(client, submission, staff_user):
    application = submission.application
    service.reopen_application(application=application, by=staff_user, reason="Title typo.")
    Application.objects.filter(pk=application.pk).update(title="Edited after reopening")
    client.force_login(lead_of(application))

    html = client.get(page(submission)).content.decode()

    assert "Capital Region Health Pathways" in html
    assert "Edited after reopening" not in html
    assert "it was reopened for changes and must be submitted again" in html


def test_it_shows_every_part_of_the_application(client, submission):
    client.force_login(lead_of(submission.application))

    html = client.get(page(submission)).content.decode()

    for text in (
        "Consortium: ",
        "Overall summary",
        "Target group",
        "Programs of study",
        "Partners",
        "Lab space",
        "Budget by object code and fiscal year",
        "400,000.00",
        "$500,000.00",
        "Need and regional labor market",
        "café-level détail",
        "Consortium agreement (signed)",
        submission.data["attachments"][0]["sha256"],
    ):
        assert text in html, text
    file = submission.data["attachments"][0]
    assert reverse("applications:attachment", args=[submission.application_id, file["id"]]) in html


def test_it_shows_the_submission_time_in_pacific_time_and_the_checksum(client, submission):
    client.force_login(lead_of(submission.application))

    html = client.get(page(submission)).content.decode()

    local = timezone.localtime(submission.submitted_at)
    assert f"{local:%B} {local.day}, {local.year}" in html
    assert local.tzname() in html
    assert submission.checksum in html
    assert "Verified: the stored copy matches its checksum." in html


def test_it_has_print_styles_that_hide_navigation_and_a_pdf_link(client, submission):
    client.force_login(lead_of(submission.application))

    html = client.get(page(submission)).content.decode()

    # In a stylesheet of its own: the Content-Security-Policy (style-src 'self') refuses <style> in the page.
    assert f'<link rel="stylesheet" href="{static("css/submission-print.css")}">' in html
    styles = Path(finders.find("css/submission-print.css")).read_text()
    assert "@media print" in styles
    assert "header, footer" in styles
    assert reverse("applications:submission-pdf", args=[submission.application_id]) in html


def test_staff_and_partner_contacts_may_read_it(client, submission, staff_user):
    client.force_login(staff_user)
    assert client.get(page(submission)).status_code == 200
    partner = ContactFactory(consortium=submission.application.consortium, role="partner", user__password=None).user
    client.force_login(partner)
    assert client.get(page(submission)).status_code == 200


def test_another_consortium_may_not_read_it(client, submission):
    client.force_login(lead_of(submittable_application()))

    assert client.get(page(submission)).status_code == 403
    assert client.get(reverse("applications:submission-pdf", args=[submission.application_id])).status_code == 403


def test_an_application_never_submitted_has_no_submitted_version(client):
    application = submittable_application()
    client.force_login(lead_of(application))

    assert client.get(reverse("applications:submission", args=[application.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, submission):
    assert client.get(page(submission)).status_code == 302


def test_the_pdf_is_a_pdf(client, submission):
    client.force_login(lead_of(submission.application))

    response = client.get(reverse("applications:submission-pdf", args=[submission.application_id]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"{submission.application.number}-submitted.pdf" in response["Content-Disposition"]
