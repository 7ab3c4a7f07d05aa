"""Administrators manage people, organizations and consortia in Django's admin."""

import pytest

from consortia.models import User

from ..factories import ContactFactory, MembershipFactory

MODELS = ["user", "region", "county", "organization", "consortium", "invitation"]


@pytest.fixture
def admin_client(client, db):
    client.force_login(User.objects.create_superuser(email="root@example.org", password="x-long-password-1"))
    return client


@pytest.mark.parametrize("model", MODELS)
def test_every_consortia_admin_list_and_add_page_opens(admin_client, model):
    ContactFactory()

    assert admin_client.get(f"/admin/consortia/{model}/").status_code == 200
    assert admin_client.get(f"/admin/consortia/{model}/add/").status_code == 200


def test_the_consortium_admin_page_shows_members_and_contacts(admin_client):
    contact = ContactFactory()
    MembershipFactory(consortium=contact.consortium, organization__name="Harbor Logistics Group")

    response = admin_client.get(f"/admin/consortia/consortium/{contact.consortium.pk}/change/")

    assert response.status_code == 200
    assert "Harbor Logistics Group" in response.content.decode()


def test_an_administrator_can_add_a_person_by_email(admin_client):
    response = admin_client.post(
        "/admin/consortia/user/add/",
        {
            "email": "New.Reader@Example.org",
            "usable_password": "true",
            "password1": "a-reader-password-2026",
            "password2": "a-reader-password-2026",
            "affiliations-TOTAL_FORMS": "0",
            "affiliations-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="new.reader@example.org")
    assert user.check_password("a-reader-password-2026")


@pytest.mark.parametrize("model", ["organization", "user", "consortium"])
def test_admin_search_works(admin_client, model):
    ContactFactory()

    assert admin_client.get(f"/admin/consortia/{model}/", {"q": "example"}).status_code == 200
