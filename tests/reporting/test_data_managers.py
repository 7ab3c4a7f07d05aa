"""Data managers: the lead agency's staff name, for each member organization, the people who enter its values;
nobody else names them, and only people with access to the consortium can be named, for its own members."""

import pytest
from django.urls import reverse

from ccpt.audit.models import Event
from consortia.models import Contact
from grants.reporting.models import DataManager
from tests.factories import (
    ConsortiumFactory,
    MembershipFactory,
    OrganizationFactory,
    UserFactory,
    contact_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def consortium():
    return ConsortiumFactory()


@pytest.fixture
def college(consortium):
    return MembershipFactory(consortium=consortium).organization


@pytest.fixture
def lead(consortium):
    return contact_of(consortium)


@pytest.fixture
def partner(consortium):
    return contact_of(consortium, role=Contact.Role.PARTNER)


def _name(client, consortium, organization, user):
    url = reverse("reporting:data-manager-name", args=[consortium.pk])
    return client.post(url, {"organization": organization.pk, "user": user.pk}, follow=True)


def test_the_lead_agency_names_a_partner_data_manager_of_a_member(client, consortium, college, lead, partner):
    client.force_login(lead)

    html = _name(client, consortium, college, partner).content.decode()

    manager = DataManager.objects.get()
    assert (manager.organization, manager.user, manager.named_by) == (college, partner, lead)
    assert f"{partner} now enters {college}&#x27;s values." in html
    assert Event.objects.filter(action=Event.Action.ROLE_CHANGE, actor=lead, summary__contains="data manager").exists()


@pytest.mark.parametrize("who", ["partner", "staff", "administrator", "reader", "other lead"])
def test_nobody_but_the_lead_agency_names_data_managers(client, consortium, college, partner, who):
    people = {
        "partner": partner,
        "staff": UserFactory(role="Program staff"),
        "administrator": UserFactory(role="Administrators"),
        "reader": UserFactory(role="Readers"),
        "other lead": contact_of(ConsortiumFactory()),
    }
    client.force_login(people[who])

    response = client.post(
        reverse("reporting:data-manager-name", args=[consortium.pk]), {"organization": college.pk, "user": partner.pk}
    )

    assert response.status_code == 403
    assert not DataManager.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("lead", 200), ("staff", 200), ("partner", 403), ("reader", 403)])
def test_who_sees_the_data_managers(client, consortium, lead, partner, who, status):
    people = {"lead": lead, "staff": UserFactory(role="Program staff"), "partner": partner, "reader": UserFactory()}
    client.force_login(people[who])

    assert client.get(reverse("reporting:data-managers", args=[consortium.pk])).status_code == status


def test_an_organization_outside_the_consortium_or_a_person_without_access_is_refused(
    client, consortium, college, lead
):
    client.force_login(lead)
    stranger = UserFactory()

    outsider = _name(client, consortium, OrganizationFactory(), lead).content.decode()
    no_access = _name(client, consortium, college, stranger).content.decode()

    assert (
        "Select a valid choice" in outsider or "Choose one of the consortium&#x27;s member organizations." in outsider
    )
    assert "Select a valid choice" in no_access or "Choose a person with access to the consortium" in no_access
    assert not DataManager.objects.exists()


def test_naming_the_same_person_twice_says_so_and_the_lead_can_remove_one(client, consortium, college, lead, partner):
    client.force_login(lead)
    _name(client, consortium, college, partner)

    again = _name(client, consortium, college, partner).content.decode()
    manager = DataManager.objects.get()
    removed = client.post(
        reverse("reporting:data-manager-remove", args=[consortium.pk, manager.pk]), follow=True
    ).content.decode()

    assert f"{partner} is already a data manager of {college}." in again
    assert f"{partner} is no longer a data manager of {college}." in removed
    assert not DataManager.objects.exists()
