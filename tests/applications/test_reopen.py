"""Program staff reopen a submitted application: it returns to draft and must be submitted again."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ccpt.lib.refusal import Refusal
from grants.applications.models import Application, Submission
from grants.applications.services import submission as service
from grants.models import StatusChange
from tests.factories import lead_of, submittable_application

pytestmark = pytest.mark.django_db


def test_reopening_returns_the_application_to_draft_and_records_why(submitted, staff_user):
    service.reopen_application(application=submitted, by=staff_user, reason="The budget narrative is cut off.")

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.DRAFT
    assert submitted.submitted_at is None
    change = StatusChange.objects.get(object_id=submitted.pk, to_status="draft")
    assert (change.from_status, change.by, change.reason) == (
        "submitted",
        staff_user,
        "The budget narrative is cut off.",
    )


def test_the_consortium_can_edit_again_and_must_submit_again(submitted, staff_user):
    lead = lead_of(submitted)
    service.reopen_application(application=submitted, by=staff_user, reason="Wrong funding category.")

    assert lead.has_perm("applications.change_application", submitted)
    assert lead.has_perm("applications.submit_application", submitted)
    service.submit_application(application=submitted, by=lead)
    assert Submission.objects.filter(application=submitted).count() == 2


@pytest.mark.parametrize("reason", ["", "   "])
def test_it_needs_a_reason(submitted, staff_user, reason):
    with pytest.raises(Refusal, match="Give the reason"):
        service.reopen_application(application=submitted, by=staff_user, reason=reason)

    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_only_a_submitted_application_can_be_reopened(staff_user):
    draft = submittable_application()

    with pytest.raises(Refusal, match="Only a submitted application can be reopened"):
        service.reopen_application(application=draft, by=staff_user, reason="Why not")


def test_the_lead_contact_cannot_reopen(submitted):
    with pytest.raises(PermissionDenied):
        service.reopen_application(application=submitted, by=lead_of(submitted), reason="Let us fix a typo.")


def test_the_reopen_page_shows_the_missing_reason_next_to_the_field(client, submitted, staff_user):
    client.force_login(staff_user)

    response = client.post(reverse("applications:application-reopen", args=[submitted.pk]), {"reason": "  "})

    assert response.status_code == 200
    assert "Give the reason for reopening; it is kept in the record." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.SUBMITTED


def test_the_reopen_page_reopens_with_a_message(client, submitted, staff_user):
    client.force_login(staff_user)

    response = client.post(
        reverse("applications:application-reopen", args=[submitted.pk]),
        {"reason": "Attachment is unsigned."},
        follow=True,
    )

    assert "is a draft again" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == Application.Status.DRAFT


def test_applicants_cannot_open_the_reopen_page(client, submitted):
    client.force_login(lead_of(submitted))

    assert client.get(reverse("applications:application-reopen", args=[submitted.pk])).status_code == 403
