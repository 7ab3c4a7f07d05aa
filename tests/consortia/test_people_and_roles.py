import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction

from consortia.models import User
from consortia.roles import Role

from ..factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_email_addresses_are_stored_in_lower_case():
    user = User.objects.create_user(email="Pat.Lee@Example.ORG", password=PASSWORD)

    assert user.email == "pat.lee@example.org"


def test_signing_in_ignores_the_case_of_the_email_address(rf):
    User.objects.create_user(email="pat.lee@example.org", password=PASSWORD)

    # Sign-in throttling (axes) needs the request, for its address.
    assert authenticate(rf.post("/accounts/login/"), username="PAT.Lee@example.org", password=PASSWORD) is not None


def test_the_login_form_accepts_the_email_in_any_case(client):
    User.objects.create_user(email="pat.lee@example.org", password=PASSWORD)

    response = client.post("/accounts/login/", {"username": "Pat.Lee@EXAMPLE.org", "password": PASSWORD})

    assert response.status_code == 302
    assert response.wsgi_request.user.email == "pat.lee@example.org"


def test_two_accounts_cannot_differ_only_by_the_case_of_their_email():
    User.objects.create_user(email="pat.lee@example.org")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="PAT.LEE@example.org")


def test_an_email_address_is_required():
    with pytest.raises(ValueError, match="email address is required"):
        User.objects.create_user(email="")


@pytest.mark.parametrize(
    ("group", "applicant", "reader", "staff", "administrator"),
    [
        (None, False, False, False, False),
        (Role.APPLICANT, True, False, False, False),
        (Role.READER, False, True, False, False),
        (Role.PROGRAM_STAFF, False, False, True, False),
        (Role.ADMINISTRATOR, False, False, True, True),
    ],
)
def test_role_properties_follow_group_membership(group, applicant, reader, staff, administrator):
    user = UserFactory(role=group)

    assert (user.is_applicant, user.is_reader, user.is_program_staff, user.is_administrator) == (
        applicant,
        reader,
        staff,
        administrator,
    )


def test_a_superuser_without_a_group_has_no_role_in_the_site():
    user = User.objects.create_superuser(email="root@example.org", password=PASSWORD)

    assert user.roles == frozenset()
    assert not (user.is_administrator or user.is_program_staff)
    assert not user.has_perm("programs.configure_program")
    assert user.has_perm("programs.change_round")  # a model permission of the back office: Django's answer


def test_a_superuser_in_the_administrators_group_is_an_administrator_by_the_group():
    user = User.objects.create_superuser(email="root@example.org", password=PASSWORD)
    user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
    user = User.objects.get(pk=user.pk)

    assert user.roles == {Role.ADMINISTRATOR}
    assert user.has_perm("programs.configure_program")


def test_a_deactivated_account_has_no_roles():
    user = UserFactory(role=Role.PROGRAM_STAFF, is_active=False)

    assert user.roles == frozenset()
    assert not user.is_program_staff


def test_a_person_may_hold_several_roles():
    user = UserFactory(role=Role.APPLICANT)
    user.groups.add(Group.objects.get(name=Role.READER))
    user = User.objects.get(pk=user.pk)

    assert user.roles == {Role.APPLICANT, Role.READER}
    assert user.has_role(Role.READER) and user.is_applicant


def test_people_read_as_their_full_name_or_else_their_email():
    assert str(User(email="a@example.org", first_name="Ana", last_name="Ruiz")) == "Ana Ruiz"
    assert str(User(email="a@example.org")) == "a@example.org"
