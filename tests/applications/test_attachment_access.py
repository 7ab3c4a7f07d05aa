"""Who may download an attachment: only people who may see its application, and only through the view."""

import pytest
from django.urls import reverse

from tests.factories import SMALL_PDF, ContactFactory, UserFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def attachment():
    return submittable_application().attachments.get()


def url(attachment):
    return reverse("applications:attachment", args=[attachment.application_id, attachment.pk])


def test_the_consortiums_lead_contact_downloads_the_exact_bytes(client, attachment):
    client.force_login(lead_of(attachment.application))

    response = client.get(url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SMALL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="agreement.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_partner_contact_of_the_consortium_may_download(client, attachment):
    partner = ContactFactory(consortium=attachment.application.consortium, role="partner", user__password=None).user
    client.force_login(partner)

    assert client.get(url(attachment)).status_code == 200


def test_staff_download_the_exact_bytes(client, attachment, staff_user):
    client.force_login(staff_user)

    response = client.get(url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SMALL_PDF


def test_another_consortiums_applicant_guessing_the_url_is_forbidden(client, attachment):
    other = submittable_application()
    client.force_login(lead_of(other))

    assert client.get(url(attachment)).status_code == 403
    # nor by pairing their own application's number with someone else's file
    response = client.get(reverse("applications:attachment", args=[other.pk, attachment.pk]))
    assert response.status_code == 404


def test_a_reader_without_an_assignment_is_forbidden(client, attachment):
    client.force_login(UserFactory(role="Readers", password=None))

    assert client.get(url(attachment)).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, attachment):
    response = client.get(url(attachment))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unknown_file_is_not_found(client, attachment, staff_user):
    client.force_login(staff_user)

    assert client.get(reverse("applications:attachment", args=[attachment.application_id, 999999])).status_code == 404


def test_files_are_not_served_from_a_media_url(client, attachment, staff_user):
    client.force_login(staff_user)

    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_the_attachments_page_follows_the_same_rules(client, attachment):
    page = reverse("applications:attachments", args=[attachment.application_id])
    assert client.get(page).status_code == 302
    client.force_login(lead_of(submittable_application()))
    assert client.get(page).status_code == 403
    assert client.get(reverse("applications:attachments", args=[999999])).status_code == 404
