"""The People page: administrators find people by name or email, by role and status, and open one to change
their roles; nobody else sees it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from consortia.roles import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = reverse("consortia:people")


def _roles_url(person):
    return reverse("consortia:person-roles", args=[person.pk])


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("role", [None, Role.APPLICANT, Role.READER, Role.PROGRAM_STAFF])
def test_only_administrators_see_people_and_change_roles(client, role):
    person = UserFactory(role=Role.READER)
    client.force_login(UserFactory(role=role))

    assert client.get(PEOPLE).status_code == 403
    assert client.get(_roles_url(person)).status_code == 403
    data = {"roles": [Role.ADMINISTRATOR], "active": "on", "reason": "Promote."}
    assert client.post(_roles_url(person), data).status_code == 403
    assert list(person.groups.values_list("name", flat=True)) == [Role.READER]


def test_administrators_open_both_pages(admin_client):
    person = UserFactory(role=Role.READER)

    assert admin_client.get(PEOPLE).status_code == 200
    assert admin_client.get(_roles_url(person)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client):
    assert client.get(PEOPLE).url.startswith(reverse("login"))


def test_an_unknown_person_is_not_found(admin_client):
    assert admin_client.get(reverse("consortia:person-roles", args=[999999])).status_code == 404


def test_each_person_is_listed_with_their_roles_and_status(admin_client):
    both = UserFactory(first_name="Dana", last_name="Ortiz", email="dana@example.org", role=Role.READER)
    both.groups.add(Group.objects.get(name=Role.PROGRAM_STAFF))
    UserFactory(first_name="Lee", last_name="Park", email="lee@example.org", is_active=False)

    html = admin_client.get(PEOPLE).content.decode()

    assert "Dana Ortiz" in html and "<td>Reader, Program staff</td>" in html
    assert "Lee Park" in html and "<td>No role</td>" in html
    assert '<span class="badge text-bg-secondary">Deactivated</span>' in html


@pytest.mark.parametrize(
    ("query", "found", "missed"),
    [
        ({"q": "ortiz"}, "Dana Ortiz", "Lee Park"),
        ({"q": "lee@example"}, "Lee Park", "Dana Ortiz"),
        ({"q": "dana ortiz"}, "Dana Ortiz", "Lee Park"),
        ({"role": Role.READER}, "Dana Ortiz", "Lee Park"),
        ({"role": "none"}, "Lee Park", "Dana Ortiz"),
        ({"status": "deactivated"}, "Lee Park", "Dana Ortiz"),
        ({"status": "active"}, "Dana Ortiz", "Lee Park"),
    ],
)
def test_people_are_found_by_name_email_role_and_status(admin_client, query, found, missed):
    UserFactory(first_name="Dana", last_name="Ortiz", email="dana@example.org", role=Role.READER)
    UserFactory(first_name="Lee", last_name="Park", email="lee@example.org", is_active=False)

    html = admin_client.get(PEOPLE, query).content.decode()

    assert found in html and missed not in html


def test_an_unknown_filter_value_is_said_next_to_its_field(admin_client):
    response = admin_client.get(PEOPLE, {"role": "Emperors"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_the_list_is_paginated_by_fifty(admin_client):
    for n in range(55):
        UserFactory(last_name=f"Person {n:02d}", role=Role.READER, password=None)

    first = admin_client.get(PEOPLE, {"role": Role.READER}).content.decode()
    second = admin_client.get(PEOPLE, {"role": Role.READER, "page": 2}).content.decode()

    assert "Page 1 of 2" in first and "55 people match." in first
    assert "Person 49" in first and "Person 50" not in first
    assert "Person 54" in second and "Person 49" not in second


def test_the_list_costs_the_same_queries_for_ten_people_or_fifty(admin_client, django_assert_max_num_queries):
    for _ in range(10):
        UserFactory(role=Role.READER, password=None)
    with django_assert_max_num_queries(12) as few:
        admin_client.get(PEOPLE)
    for _ in range(40):
        UserFactory(role=Role.APPLICANT, password=None)

    with django_assert_max_num_queries(len(few.captured_queries)):
        admin_client.get(PEOPLE)


def test_administrators_find_the_people_page_in_the_navigation(admin_client, client):
    assert f'href="{PEOPLE}">People</a>' in admin_client.get(reverse("dashboard")).content.decode()
    client.force_login(UserFactory(role=Role.PROGRAM_STAFF))
    assert f'href="{PEOPLE}"' not in client.get(reverse("dashboard")).content.decode()
