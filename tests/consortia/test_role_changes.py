"""An administrator changes a person's roles or deactivates them, for a reason kept in the audit trail; the site
is never left without an active administrator."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from ccpt.audit.models import Event
from ccpt.lib.refusal import Refusal
from consortia.models import User
from consortia.roles import Role
from consortia.services import change_roles
from tests.factories import UserFactory
from tests.helpers import race

pytestmark = pytest.mark.django_db


def _url(person):
    return reverse("consortia:person-roles", args=[person.pk])


def _roles(person) -> list[str]:
    return sorted(Group.objects.filter(user=person).values_list("name", flat=True))


def _post(client, person, roles, reason="Joined the review team.", active=True):
    data = {"roles": roles, "reason": reason, **({"active": "on"} if active else {})}
    return client.post(_url(person), data)


@pytest.fixture
def administrator(client, admin_user):
    client.force_login(admin_user)
    return admin_user


def test_an_administrator_gives_a_reader_the_program_staff_role(client, administrator):
    reader = UserFactory(role=Role.READER)

    response = _post(client, reader, [Role.READER, Role.PROGRAM_STAFF])

    assert response.status_code == 302
    assert _roles(reader) == sorted([Role.READER, Role.PROGRAM_STAFF])
    event = Event.objects.get(action=Event.Action.ROLE_CHANGE)
    assert (event.actor, event.object_id, event.object_label) == (administrator, reader.pk, str(reader))
    assert event.summary == "Roles: Reader → Reader, Program staff (Joined the review team.)"


def test_the_page_shows_every_change_with_who_made_it_and_why(client, administrator):
    reader = UserFactory(role=Role.READER)
    _post(client, reader, [Role.READER, Role.PROGRAM_STAFF])

    html = client.get(_url(reader)).content.decode()

    assert "Roles: Reader → Reader, Program staff (Joined the review team.)" in html
    assert str(administrator) in html


def test_a_change_needs_a_reason_and_changes_nothing_without_one(client, administrator):
    reader = UserFactory(role=Role.READER)

    response = _post(client, reader, [Role.PROGRAM_STAFF], reason="")

    assert response.status_code == 200
    assert "Give a reason; it is kept in the record." in response.content.decode()
    assert _roles(reader) == [Role.READER]
    assert not Event.objects.filter(action=Event.Action.ROLE_CHANGE).exists()


def test_a_deactivated_person_can_no_longer_use_the_site(client, administrator):
    reader = UserFactory(role=Role.READER)
    theirs = Client()
    theirs.force_login(reader)

    _post(client, reader, [Role.READER], reason="Left the program.", active=False)

    assert not User.objects.get(pk=reader.pk).is_active
    assert theirs.get(reverse("dashboard")).status_code == 302
    event = Event.objects.get(action=Event.Action.ROLE_CHANGE)
    assert event.summary == "Deactivated: can no longer sign in (Left the program.)"


def test_a_deactivated_person_is_reactivated_with_their_roles(client, administrator):
    reader = UserFactory(role=Role.READER, is_active=False)

    _post(client, reader, [Role.READER], reason="Back for round 2.")

    assert User.objects.get(pk=reader.pk).is_active
    assert Event.objects.get(action=Event.Action.ROLE_CHANGE).summary == "Reactivated (Back for round 2.)"


def test_the_form_shows_a_deactivated_persons_roles(client, administrator):
    reader = UserFactory(role=Role.READER, is_active=False)

    html = client.get(_url(reader)).content.decode()

    assert re.search(r'<input[^>]*name="roles"[^>]*value="Readers"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="active"[^>]*checked', html)
    assert "Deactivated: cannot sign in" in html


def test_an_administrator_cannot_remove_their_own_administrator_role(client, administrator):
    response = _post(client, administrator, [Role.PROGRAM_STAFF])

    assert "You cannot remove your own Administrator role: another administrator must do it" in (
        response.content.decode()
    )
    assert _roles(administrator) == [Role.ADMINISTRATOR]


def test_an_administrator_cannot_deactivate_themselves(client, administrator):
    response = _post(client, administrator, [Role.ADMINISTRATOR], active=False)

    assert "You cannot deactivate yourself: another administrator must do it" in response.content.decode()
    assert User.objects.get(pk=administrator.pk).is_active


def test_their_own_page_says_so_before_they_try(client, administrator):
    assert "This is you. You cannot remove your own Administrator role" in (
        client.get(_url(administrator)).content.decode()
    )


def test_an_administrator_may_add_another_role_to_themselves(client, administrator):
    _post(client, administrator, [Role.ADMINISTRATOR, Role.PROGRAM_STAFF], reason="Covering for staff.")

    assert _roles(administrator) == sorted([Role.ADMINISTRATOR, Role.PROGRAM_STAFF])


@pytest.mark.parametrize("other", [Role.READER, Role.APPLICANT])
def test_an_administrator_cannot_also_be_a_reader_or_an_applicant(client, administrator, other):
    staff = UserFactory(role=Role.PROGRAM_STAFF)

    response = _post(client, staff, [Role.ADMINISTRATOR, other])

    assert "An administrator cannot also be a reader or a consortium applicant." in response.content.decode()
    assert _roles(staff) == [Role.PROGRAM_STAFF]


def test_saving_what_is_already_there_says_nothing_changed(client, administrator):
    reader = UserFactory(role=Role.READER)

    response = _post(client, reader, [Role.READER])

    assert "Nothing to change:" in response.content.decode()
    assert not Event.objects.filter(action=Event.Action.ROLE_CHANGE).exists()


def test_an_administrator_demoted_meanwhile_cannot_demote_the_last_one(admin_user):
    other = UserFactory(role=Role.ADMINISTRATOR)
    change_roles(person=other, roles=[Role.PROGRAM_STAFF], active=True, reason="Moved to staff.", by=admin_user)

    # `other` still had the page open, from when they were an administrator.
    with pytest.raises(Refusal, match="is the last active administrator"):
        change_roles(person=admin_user, roles=[Role.PROGRAM_STAFF], active=True, reason="Swap.", by=other)

    assert User.objects.get(pk=admin_user.pk).is_administrator


def test_someone_no_longer_an_administrator_cannot_change_roles(admin_user):
    other = UserFactory(role=Role.ADMINISTRATOR)
    reader = UserFactory(role=Role.READER)
    change_roles(person=other, roles=[Role.PROGRAM_STAFF], active=True, reason="Moved to staff.", by=admin_user)

    with pytest.raises(Refusal, match="Only an administrator can change people's roles"):
        change_roles(person=reader, roles=[Role.PROGRAM_STAFF], active=True, reason="x", by=other)

    assert _roles(reader) == [Role.READER]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_administrators_removing_each_other_at_once_leave_one():
    first, second = UserFactory(role=Role.ADMINISTRATOR), UserFactory(role=Role.ADMINISTRATOR)

    def remove(person, by):
        def call():
            try:
                change_roles(person=person, roles=[Role.PROGRAM_STAFF], active=True, reason="Rotation.", by=by)
            except Refusal as refusal:
                return refusal.message
            return "done"

        return call

    outcomes = race(remove(first, second), remove(second, first))

    assert sorted(outcome == "done" for outcome in outcomes) == [False, True]
    assert User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).count() == 1
