"""The submission receipt: sent once, to the consortium's contacts, with what was submitted and when."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse

from consortia.models import Contact
from grants.applications.services.screening import screen
from tests.factories import (
    ConsortiumFactory,
    ContactFactory,
    FundingCategoryFactory,
    RoundFactory,
    SubmissionFactory,
    SubmittedApplicationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission():
    round_ = RoundFactory(name="Round 2: Implementation grants")
    category = FundingCategoryFactory(round=round_, name="Large grants", maximum_award=Decimal("15000000.00"))
    consortium = ConsortiumFactory(name="Capital Region Academies for the Next Economy")
    lead = ContactFactory(consortium=consortium, user__email="lead@scoe.example.org")
    ContactFactory(consortium=consortium, role=Contact.Role.PARTNER, user__email="partner@losrios.example.org")
    application = SubmittedApplicationFactory(
        round=round_,
        category=category,
        consortium=consortium,
        number="R2-0042",
        requested_amount=Decimal("1234567.89"),
    )
    # 06:30 UTC on March 29 is still the evening of March 28 in California.
    return SubmissionFactory(
        application=application, submitted_by=lead.user, submitted_at=datetime(2026, 3, 29, 6, 30, tzinfo=UTC)
    )


def test_the_receipt_goes_to_every_contact_of_the_consortium(submission):
    screen(submission_id=submission.pk)

    [message] = mail.outbox
    assert sorted(message.to) == ["lead@scoe.example.org", "partner@losrios.example.org"]
    assert message.subject == "Receipt: application R2-0042 submitted to Round 2: Implementation grants"


def test_the_receipt_says_what_was_submitted_and_when_in_pacific_time(submission, settings):
    settings.SITE_URL = "https://grants.example.org"

    screen(submission_id=submission.pk)

    body = mail.outbox[0].body
    assert "Application number: R2-0042" in body
    assert "Consortium: Capital Region Academies for the Next Economy" in body
    assert "Round: Round 2: Implementation grants" in body
    assert "Funding category: Large grants" in body
    assert "Amount requested: $1,234,567.89" in body
    assert "Submitted: March 28, 2026, 11:30 PM PDT" in body
    assert f"SHA-256 checksum of the submitted application: {submission.checksum}" in body
    assert len(submission.checksum) == 64
    link = reverse("applications:submission", args=[submission.application_id])
    assert link == f"/applications/{submission.application_id}/submission/"
    assert f"See the submitted application here:\nhttps://grants.example.org{link}\n" in body


def test_the_submitter_gets_the_receipt_even_when_not_a_contact():
    submission = SubmissionFactory(submitted_by=UserFactory(email="submitter@example.org"))

    screen(submission_id=submission.pk)

    assert mail.outbox[0].to == ["submitter@example.org"]


def test_the_receipt_is_recorded_and_not_sent_again(submission):
    screen(submission_id=submission.pk)
    submission.refresh_from_db()
    sent_at = submission.receipt_sent_at

    screen(submission_id=submission.pk)

    submission.refresh_from_db()
    assert sent_at is not None and submission.receipt_sent_at == sent_at
    assert len(mail.outbox) == 1


def test_a_deactivated_contact_gets_no_receipt(submission):
    partner = submission.application.consortium.contacts.get(role=Contact.Role.PARTNER).user
    partner.is_active = False
    partner.save()

    screen(submission_id=submission.pk)

    assert mail.outbox[0].to == ["lead@scoe.example.org"]
