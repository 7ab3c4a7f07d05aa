"""Whether a person speaks for a consortium is read once for all the questions a page asks, and follows every change
of their contacts at once, even asked of the same person object."""

import pytest

from consortia.models import Contact
from tests.factories import ApplicationFactory, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_of_questions_about_one_person_reads_their_contacts_once(django_assert_num_queries):
    application = ApplicationFactory()
    person = UserFactory(role="Applicants")
    ContactFactory(consortium=application.consortium, user=person, role=Contact.Role.LEAD)
    person.roles  # noqa: B018 - read with the person when signed in (accounts.backends)

    with django_assert_num_queries(1):
        assert person.has_perm("applications.view_application", application)
        assert person.has_perm("applications.change_application", application)
        assert person.has_perm("applications.submit_application", application)
        assert person.has_perm("consortia.invite_contact", application.consortium)


def test_the_answer_follows_contacts_added_changed_and_removed():
    application = ApplicationFactory()
    person = UserFactory(role="Applicants")
    assert not person.has_perm("applications.view_application", application)

    contact = ContactFactory(consortium=application.consortium, user=person, role=Contact.Role.PARTNER)
    assert person.has_perm("applications.view_application", application)
    assert not person.has_perm("applications.submit_application", application)

    contact.role = Contact.Role.LEAD
    contact.save()
    assert person.has_perm("applications.submit_application", application)

    contact.delete()
    assert not person.has_perm("applications.view_application", application)


def test_my_lists_hold_the_persons_consortias_rows_only_and_a_person_with_none_reads_none(
    client, django_assert_num_queries
):
    from django.urls import reverse

    mine, theirs = ApplicationFactory(), ApplicationFactory()
    person = UserFactory(role="Applicants")
    ContactFactory(consortium=mine.consortium, user=person, role=Contact.Role.PARTNER)
    client.force_login(person)

    page = client.get(reverse("applications:applications")).content.decode()
    assert mine.number in page and theirs.number not in page

    newcomer = UserFactory(role="Applicants")
    client.force_login(newcomer)
    client.get(reverse("dashboard"))
    with django_assert_num_queries(3):  # the session, the person, the open rounds: no application, award or consortium
        assert client.get(reverse("dashboard")).status_code == 200
