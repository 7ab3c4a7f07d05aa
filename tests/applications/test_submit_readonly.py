"""After submission the application is read-only: its sections and attachments cannot change."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grants.applications.models import Application
from tests.factories import SMALL_PDF, lead_of

pytestmark = pytest.mark.django_db


def test_the_lead_contact_loses_the_change_permission(submitted):
    assert not lead_of(submitted).has_perm("applications.change_application", submitted)


def test_a_section_change_is_refused(client, submitted):
    client.force_login(lead_of(submitted))

    client.post(
        reverse("applications:application-section", args=[submitted.pk, "summary"]),
        {"title": "Changed after submission", "summary": "New text", "section_version": "0"},
    )

    assert Application.objects.get(pk=submitted.pk).title == "Capital Region Health Pathways"


def test_an_upload_is_forbidden(client, submitted):
    client.force_login(lead_of(submitted))
    before = submitted.attachments.count()

    response = client.post(
        reverse("applications:attachment-upload", args=[submitted.pk]),
        {"file": SimpleUploadedFile("late.pdf", SMALL_PDF)},
    )

    assert response.status_code == 403
    assert submitted.attachments.count() == before


def test_deleting_an_attachment_is_forbidden(client, submitted):
    client.force_login(lead_of(submitted))
    attachment = submitted.attachments.get()

    response = client.post(reverse("applications:attachment-delete", args=[submitted.pk, attachment.pk]))

    assert response.status_code == 403
    assert submitted.attachments.filter(pk=attachment.pk).exists()
