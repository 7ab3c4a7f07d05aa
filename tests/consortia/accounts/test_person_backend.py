"""Each request reads the signed-in person with their roles, the consortia they speak for and whether they have an
authenticator in one query (accounts/backends.py), fresh every time: a role taken away, a contact removed or an
authenticator turned on counts from the very next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consortia.models import Contact
from tests.factories import ApplicationFactory, ContactFactory, with_second_factor

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
    assert "consortia_contact" in person  # and the consortia they speak for
    assert not [sql for sql in page if "auth_group" in sql or "otp_totp_totpdevice" in sql]


def test_an_applicants_consortia_come_with_the_person(client, applicant):
    lead, partner, other = ApplicationFactory(), ApplicationFactory(), ApplicationFactory()
    ContactFactory(user=applicant, consortium=lead.consortium, role=Contact.Role.LEAD)
    ContactFactory(user=applicant, consortium=partner.consortium, role=Contact.Role.PARTNER)
    sign_in(client, applicant.email)

    with CaptureQueriesContext(connection) as queries:
        pages = [client.get(reverse("applications:application", args=[a.pk])).status_code for a in (lead, partner)]
        refused = client.get(reverse("applications:application", args=[other.pk])).status_code

    assert pages == [200, 200] and refused in (403, 404)
    assert not [q for q in queries.captured_queries if 'FROM "consortia_contact"' in q["sql"].split("EXISTS")[0]]


def test_a_contact_removed_by_another_process_counts_from_the_next_request(client, applicant):
    application = ApplicationFactory()
    contact = ContactFactory(user=applicant, consortium=application.consortium, role=Contact.Role.LEAD)
    page = reverse("applications:application", args=[application.pk])
    sign_in(client, applicant.email)
    assert client.get(page).status_code == 200

    with connection.cursor() as cursor:  # as another worker would: no signal reaches this process
        cursor.execute(f"DELETE FROM {Contact._meta.db_table} WHERE id = %s", [contact.pk])  # noqa: S608

    assert client.get(page).status_code in (403, 404)


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
