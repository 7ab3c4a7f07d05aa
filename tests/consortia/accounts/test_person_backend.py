"""Each request reads the signed-in person with their roles and whether they have an authenticator in one query
(accounts/backends.py), fresh every time: a role taken away or an authenticator turned on counts from the very
next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import with_second_factor

from .conftest import sign_in

pytestmark = pytest.mark.django_db

ROUNDS = reverse("programs:rounds")


def test_before_the_page_only_the_session_and_the_person_are_read(client, applicant):
    sign_in(client, applicant.email)
    client.get(ROUNDS)

    with CaptureQueriesContext(connection) as queries:
        assert client.get(ROUNDS).status_code == 200

    session, person, *page = [q["sql"] for q in queries.captured_queries]
    assert 'FROM "django_session"' in session
    assert 'FROM "consortia_user"' in person
    assert "auth_group" in person and "otp_totp_totpdevice" in person  # the roles and the authenticator with it
    assert not [sql for sql in page if "auth_group" in sql or "otp_totp_totpdevice" in sql]


def test_a_role_taken_away_counts_from_the_next_request(client, staff):
    sign_in(client, staff.email)
    assert client.get(reverse("consortia:organizations")).status_code == 200

    staff.groups.remove(Group.objects.get(name="Program staff"))

    assert client.get(reverse("consortia:organizations")).status_code == 403


def test_an_authenticator_turned_on_in_another_session_is_asked_for_from_the_next_request(client, applicant):
    sign_in(client, applicant.email)
    assert client.get(ROUNDS).status_code == 200

    with_second_factor(applicant)

    response = client.get(ROUNDS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:verify"))
