"""Lead agency staff invite people by email; the link creates or attaches an account."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone

from consortia import services
from consortia.models import Affiliation, Contact, Invitation, User
from consortia.tasks import send_invitation

from ..factories import PASSWORD, MembershipFactory, UserFactory

NEW_PASSWORD = "pathways-to-college-2026"


@pytest.fixture
def partner_org(consortium):
    return MembershipFactory(
        consortium=consortium, organization__name="Los Rios Community College District"
    ).organization


@pytest.fixture
def invitation(consortium, lead, partner_org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invite(
            consortium=consortium, email="New.Person@Example.org", organization=partner_org, role="partner", by=lead
        )


def link_in(message) -> str:
    return re.search(r"https?://\S+/invitations/[\w-]+/", message.body).group(0)


def test_inviting_sends_exactly_one_email_with_a_working_link(
    client, consortium, lead, partner_org, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/consortia/{consortium.pk}/invite/",
            {"email": "Maria.Lopez@LosRios.edu", "organization": partner_org.pk, "role": "partner"},
            follow=True,
        )

    assert "Invitation sent to maria.lopez@losrios.edu." in response.content.decode()
    invitation = Invitation.objects.get()
    assert invitation.email == "maria.lopez@losrios.edu"
    assert invitation.sent_at is not None
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["maria.lopez@losrios.edu"]
    assert message.subject == f"You are invited to {consortium} on CCPT Grants"
    link = link_in(message)
    assert link == settings.SITE_URL + f"/invitations/{invitation.token}/"
    client.logout()
    page = client.get(link.removeprefix(settings.SITE_URL))
    assert page.status_code == 200
    assert "Create your account to accept." in page.content.decode()


def test_the_invitation_is_listed_as_waiting_on_the_consortium_page(client, consortium, lead, invitation):
    client.force_login(lead)

    page = client.get(consortium.get_absolute_url()).content.decode()

    assert "Invitations waiting" in page
    assert "new.person@example.org" in page


def test_running_the_send_task_again_sends_nothing_more(invitation, mailoutbox):
    assert len(mailoutbox) == 1

    assert send_invitation(invitation.pk) is False
    assert send_invitation(invitation.pk) is False

    assert len(mailoutbox) == 1


def test_a_failed_send_leaves_the_invitation_unsent_so_a_retry_sends_it(
    consortium, lead, partner_org, mailoutbox, settings
):
    invitation = Invitation.objects.create(
        consortium=consortium, email="a@example.org", organization=partner_org, invited_by=lead
    )
    settings.EMAIL_BACKEND = "tests.consortia.test_invitations.FailingBackend"

    with pytest.raises(OSError):
        send_invitation(invitation.pk)
    invitation.refresh_from_db()
    assert invitation.sent_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert send_invitation(invitation.pk) is True
    assert len(mailoutbox) == 1


class FailingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unreachable")


def test_a_new_person_accepts_by_creating_an_account_and_is_signed_in(client, invitation, consortium, partner_org):
    response = client.post(
        invitation.get_absolute_url(),
        {
            "first_name": "Maria",
            "last_name": "Lopez",
            "title": "Dean",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
    )

    user = User.objects.get(email="new.person@example.org")
    assert response.status_code == 302
    assert response["Location"] == consortium.get_absolute_url()
    assert (user.first_name, user.last_name, user.title) == ("Maria", "Lopez", "Dean")
    assert user.check_password(NEW_PASSWORD)
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Contact.objects.get(consortium=consortium, user=user).role == Contact.Role.PARTNER
    assert Affiliation.objects.filter(user=user, organization=partner_org).exists()
    assert user.groups.filter(name="Applicants").exists()
    invitation.refresh_from_db()
    assert invitation.accepted_by == user and invitation.accepted_at is not None
    assert client.get(consortium.get_absolute_url()).status_code == 200


def test_a_weak_or_mismatched_password_is_refused_and_the_names_typed_stay(client, invitation):
    mismatched = client.post(
        invitation.get_absolute_url(),
        {"first_name": "Maria", "last_name": "Lopez", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    weak = client.post(
        invitation.get_absolute_url(),
        {"first_name": "Maria", "last_name": "Lopez", "password1": "12345678", "password2": "12345678"},
    )

    assert mismatched.context["form"].errors["password2"] == ["The two passwords do not match."]
    assert 'value="Maria"' in mismatched.content.decode()
    assert "This password is too common." in weak.context["form"].errors["password1"]
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_someone_with_an_account_is_asked_to_sign_in_first_and_then_accepts(client, invitation, consortium):
    user = UserFactory(email="new.person@example.org")

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={invitation.get_absolute_url()}"
    client.post("/accounts/login/", {"username": "NEW.PERSON@example.org", "password": PASSWORD})
    assert "Accept the invitation" in client.get(invitation.get_absolute_url()).content.decode()
    response = client.post(invitation.get_absolute_url())
    assert response["Location"] == consortium.get_absolute_url()
    assert Contact.objects.filter(consortium=consortium, user=user).exists()


def test_a_lead_invitation_promotes_an_existing_partner_contact(consortium, partner, lead, partner_org):
    invitation = Invitation.objects.create(
        consortium=consortium, email=partner.email, organization=partner_org, role="lead", invited_by=lead
    )

    services.accept_invitation(invitation=invitation, user=partner)

    assert Contact.objects.get(consortium=consortium, user=partner).role == Contact.Role.LEAD


def test_signed_in_as_someone_else_the_invitation_is_not_used(client, invitation, consortium, outsider):
    client.force_login(outsider)

    response = client.post(invitation.get_absolute_url(), follow=True)

    assert "This invitation is for new.person@example.org. Sign out, then open the link again." in (
        response.content.decode()
    )
    assert not Contact.objects.filter(consortium=consortium, user=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_invitation_older_than_fourteen_days_shows_the_gone_page(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation can no longer be used" in response.content.decode()
    assert client.post(invitation.get_absolute_url(), {"first_name": "X"}).status_code == 410
    assert not User.objects.filter(email=invitation.email).exists()


def test_a_used_invitation_shows_the_gone_page(client, invitation, partner):
    services.accept_invitation(invitation=invitation, user=partner)

    response = client.get(invitation.get_absolute_url())

    assert response.status_code == 410
    assert "This invitation can no longer be used" in response.content.decode()


def test_a_withdrawn_invitation_shows_the_gone_page(client, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(revoked_at=timezone.now())

    assert client.get(invitation.get_absolute_url()).status_code == 410


def test_accepting_an_unusable_invitation_through_the_service_is_refused(invitation, partner):
    services.accept_invitation(invitation=invitation, user=partner)

    with pytest.raises(ValueError, match="expired or was already used"):
        services.accept_invitation(invitation=invitation, user=partner)


def post_invite(client, consortium, email, organization):
    return client.post(
        f"/consortia/{consortium.pk}/invite/", {"email": email, "organization": organization.pk, "role": "partner"}
    )


def test_inviting_someone_who_already_has_access_is_refused(client, consortium, lead, partner, partner_org, mailoutbox):
    client.force_login(lead)

    response = post_invite(client, consortium, partner.email.upper(), partner_org)

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["This person already has access to the consortium."]
    assert not Invitation.objects.exists()


def test_inviting_an_address_with_a_pending_invitation_is_refused(client, consortium, lead, partner_org, invitation):
    client.force_login(lead)

    response = post_invite(client, consortium, "new.person@EXAMPLE.org", partner_org)

    assert response.context["form"].errors["email"] == [
        "An invitation to this address is already waiting to be accepted."
    ]
    assert Invitation.objects.count() == 1


def test_an_address_whose_invitation_expired_may_be_invited_again(client, consortium, lead, partner_org, invitation):
    Invitation.objects.filter(pk=invitation.pk).update(created_at=timezone.now() - timedelta(days=15))
    client.force_login(lead)

    response = post_invite(client, consortium, "new.person@example.org", partner_org)

    assert response.status_code == 302
    assert Invitation.objects.count() == 2


def test_the_same_person_may_be_invited_to_two_consortia(client, invitation, outsider):
    other = outsider.contacts.get().consortium
    organization = other.memberships.get().organization
    client.force_login(outsider)

    response = post_invite(client, other, "new.person@example.org", organization)

    assert response.status_code == 302


def test_only_member_organizations_can_be_named_in_an_invitation(client, consortium, lead):
    stranger = MembershipFactory(organization__name="Metro Health Careers Alliance").organization
    client.force_login(lead)

    response = post_invite(client, consortium, "x@example.org", stranger)

    assert response.context["form"].errors["organization"] == [
        "Metro Health Careers Alliance is not a member of this consortium; add it as a member first."
    ]


def test_accepting_adds_the_applicant_role_only_once(client, invitation):
    client.post(
        invitation.get_absolute_url(),
        {"first_name": "Maria", "last_name": "Lopez", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    user = User.objects.get(email="new.person@example.org")
    assert list(user.groups.all()) == [Group.objects.get(name="Applicants")]
