"""Staff invite someone to read: the link is emailed once, works 14 days, can be resent or revoked; accepting
creates or links the account and makes it a reader with the affiliations and expertise staff entered."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from consortia.models import Affiliation, User
from grants.reviews.models import ReaderInvitation, ReaderSector
from grants.reviews.services import reader_invitations, readers
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organization():
    return OrganizationFactory(name="Kern High School District")


def invite(by, email="new.reader@example.org", **kwargs):
    values = {
        "first_name": "Nora",
        "last_name": "New",
        "organizations": [],
        "sectors": ["health"],
        "expertise": "Nursing pathways",
    }
    return reader_invitations.invite(email=email, by=by, **{**values, **kwargs})


def test_the_invitation_is_emailed_once_with_its_link(staff_user, organization, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(staff_user, organizations=[organization])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.reader@example.org"]
    assert invitation.get_absolute_url() in mail.outbox[0].body
    assert reader_invitations.send(invitation.pk) is False  # a second run sends nothing
    assert len(mail.outbox) == 1
    assert Event.objects.filter(summary="Invited new.reader@example.org to read", actor=staff_user).exists()


def test_a_new_person_accepts_by_creating_an_account_and_becomes_a_reader(client, staff_user, organization):
    invitation = invite(staff_user, organizations=[organization])
    url = invitation.get_absolute_url()
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "first_name": "Nora",
            "last_name": "New",
            "title": "",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    nora = User.objects.get(email="new.reader@example.org")
    assert nora.is_reader
    assert Affiliation.objects.filter(user=nora, organization=organization).exists()
    assert list(ReaderSector.objects.filter(reader=nora).values_list("sector", flat=True)) == ["health"]
    assert nora.reader_profile.expertise == "Nursing pathways"
    invitation.refresh_from_db()
    assert invitation.accepted_by == nora
    assert Event.objects.filter(actor=nora, summary__startswith="Accepted the invitation to read").exists()


def test_an_existing_account_just_gets_the_reader_role(client, staff_user):
    person = UserFactory(role="Applicants", email="known@example.org")
    invitation = invite(staff_user, email="known@example.org")
    client.force_login(person)
    assert client.post(invitation.get_absolute_url()).status_code == 302
    person = User.objects.get(pk=person.pk)
    assert person.is_reader and person.is_applicant
    assert User.objects.filter(email="known@example.org").count() == 1


def test_an_invitation_is_used_once(client, staff_user):
    person = UserFactory(email="once@example.org")
    invitation = invite(staff_user, email="once@example.org")
    reader_invitations.accept(invitation=invitation, user=person)
    with pytest.raises(Refusal):
        reader_invitations.accept(invitation=invitation, user=person)
    client.force_login(person)
    assert client.get(invitation.get_absolute_url()).status_code == 410


def test_an_invitation_expires_after_14_days(client, staff_user):
    invitation = invite(staff_user)
    ReaderInvitation.objects.filter(pk=invitation.pk).update(issued_at=timezone.now() - timedelta(days=14, minutes=1))
    assert client.get(invitation.get_absolute_url()).status_code == 410
    with pytest.raises(Refusal):
        reader_invitations.accept(invitation=ReaderInvitation.objects.get(pk=invitation.pk), user=UserFactory())


def test_resending_gives_a_new_link_for_another_14_days(staff_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(staff_user)
    old = invitation.get_absolute_url()
    ReaderInvitation.objects.filter(pk=invitation.pk).update(issued_at=timezone.now() - timedelta(days=13))
    with django_capture_on_commit_callbacks(execute=True):
        resent = reader_invitations.resend(invitation=invitation, by=staff_user)
    assert resent.get_absolute_url() != old
    assert resent.expires_at > timezone.now() + timedelta(days=13, hours=23)
    assert len(mail.outbox) == 2
    assert resent.get_absolute_url() in mail.outbox[1].body


def test_a_revoked_invitation_cannot_be_accepted(client, staff_client, staff_user):
    invitation = invite(staff_user)
    staff_client.post(reverse("reviews:reader-invitation-revoke", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert client.get(invitation.get_absolute_url()).status_code == 410


def test_a_second_invitation_to_a_waiting_address_is_refused(staff_user):
    invite(staff_user)
    with pytest.raises(Refusal, match="already waiting"):
        invite(staff_user)


def test_a_deactivated_reader_cannot_be_invited_to_read(staff_user):
    reader = UserFactory(role="Readers", email="gone@example.org")
    readers.deactivate(reader=reader, by=staff_user, reason="Left the program")
    with pytest.raises(Refusal, match="deactivated reader"):
        invite(staff_user, email="gone@example.org")


def test_the_invite_page_keeps_what_was_typed_when_the_email_is_wrong(staff_client):
    response = staff_client.post(
        reverse("reviews:reader-invite"), {"email": "not-an-email", "first_name": "Nora", "last_name": "New"}
    )
    assert response.status_code == 422
    assert 'value="Nora"' in response.content.decode()


def test_staff_invite_from_the_page(staff_client, organization):
    response = staff_client.post(
        reverse("reviews:reader-invite"),
        {
            "email": "Page@Example.org",
            "first_name": "Pat",
            "last_name": "Page",
            "organizations": [organization.pk],
            "sectors": ["ict", "health"],
            "expertise": "",
        },
    )
    assert response.status_code == 302
    invitation = ReaderInvitation.objects.get()
    assert invitation.email == "page@example.org"
    assert list(invitation.organizations.all()) == [organization]
    assert invitation.sectors == ["health", "ict"]
