"""The back office (Django's admin) is for a separate superuser account; the demo administrator is an
administrator of the site, in its group, and cannot open the admin."""

from io import StringIO

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from ccpt.audit.models import Event
from consortia.models import User
from consortia.roles import Role
from grants import demo
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

REGISTERED = sorted(f"{model._meta.app_label}_{model._meta.model_name}" for model in admin.site._registry)


@pytest.fixture
def superuser():
    return User.objects.create_superuser(email="back-office@example.org", password="a-long-back-office-password")


@pytest.mark.parametrize("model", REGISTERED)
def test_a_superuser_opens_every_list_of_the_admin(client, superuser, model):
    ContactFactory()
    client.force_login(superuser)

    assert client.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_a_superuser_changes_a_consortium_in_the_admin(client, superuser):
    consortium = ContactFactory().consortium
    client.force_login(superuser)

    response = client.get(reverse("admin:consortia_consortium_change", args=[consortium.pk]))

    assert response.status_code == 200
    assert 'name="_save"' in response.content.decode()


def test_the_demo_administrator_is_in_the_administrators_group_only():
    call_command("load_demo", stdout=StringIO())

    administrator = User.objects.get(email="admin@example.org")
    assert (administrator.is_superuser, administrator.is_staff) == (False, False)
    assert administrator.roles == {Role.ADMINISTRATOR}


def test_loading_the_demo_again_takes_the_old_superuser_flags_away():
    old = User.objects.create_superuser(email="admin@example.org", password="old")
    assert old.is_staff and old.is_superuser

    demo.load()

    administrator = User.objects.get(email="admin@example.org")
    assert (administrator.is_superuser, administrator.is_staff) == (False, False)
    assert administrator.roles == {Role.ADMINISTRATOR}
    assert not administrator.has_perm("awards.respond_to_award", None)


def test_an_administrator_cannot_open_the_admin(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302 and response.url.startswith(reverse("admin:login"))


def test_the_administration_link_shows_only_to_those_who_can_use_the_admin(client, superuser):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    page = client.get(reverse("dashboard")).content.decode()
    assert ">Administration</a>" not in page
    assert f'href="{reverse("consortia:people")}"' in page

    client.force_login(superuser)
    page = client.get(reverse("dashboard")).content.decode()
    assert f'href="{reverse("admin:index")}">Administration</a>' in page
    assert f'href="{reverse("consortia:people")}"' not in page


def test_roles_changed_in_the_admin_are_in_the_audit_trail(client, superuser):
    person = UserFactory(email="first.admin@example.org", first_name="Fran", last_name="First")
    client.force_login(superuser)
    data = {
        "email": person.email,
        "first_name": "Fran",
        "last_name": "First",
        "title": "",
        "is_active": "on",
        "groups": [Group.objects.get(name=Role.ADMINISTRATOR).pk],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
    }

    response = client.post(reverse("admin:consortia_user_change", args=[person.pk]), data)

    assert response.status_code == 302
    assert User.objects.get(pk=person.pk).is_administrator
    event = Event.objects.get(action=Event.Action.ROLE_CHANGE)
    assert (event.actor, event.object_id) == (superuser, person.pk)
    assert event.summary == "Roles: no role → Administrator (in the back office)"
