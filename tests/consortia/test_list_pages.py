"""List pages show each person only what they may see, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from consortia.models import Organization

from ..factories import ConsortiumFactory, ContactFactory, MembershipFactory, OrganizationFactory, UserFactory


def queries_for(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def names_listed(response):
    return [c.name for c in response.context["page"].object_list]


def test_a_contact_sees_only_their_own_consortia(client, consortium, partner):
    ConsortiumFactory(name="Someone Else's Consortium")
    client.force_login(partner)

    response = client.get("/consortia/")

    assert names_listed(response) == [consortium.name]
    assert "Someone Else&#x27;s Consortium" not in response.content.decode()
    assert "My consortia" in response.content.decode()
    assert "New consortium" not in response.content.decode()


def test_a_reader_without_a_consortium_sees_an_empty_list_with_an_explanation(client, consortium):
    client.force_login(UserFactory(role="Readers"))

    response = client.get("/consortia/")

    assert names_listed(response) == []
    assert "You do not belong to a consortium yet." in response.content.decode()


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_program_staff_see_every_consortium_and_may_register_one(client, person, consortium):
    other = ConsortiumFactory()
    client.force_login(person)

    response = client.get("/consortia/")

    assert sorted(names_listed(response)) == sorted([consortium.name, other.name])
    assert 'href="/consortia/new/"' in response.content.decode()


def test_searching_matches_the_name_or_the_lead_agency(client, staff_user):
    ConsortiumFactory(name="Capital Region Academies")
    ConsortiumFactory(name="Valley Pathways", lead_agency__name="Fresno County Superintendent of Schools")
    ConsortiumFactory(name="Coastal Careers")
    client.force_login(staff_user)

    assert names_listed(client.get("/consortia/", {"q": "capital"})) == ["Capital Region Academies"]
    assert names_listed(client.get("/consortia/", {"q": "fresno"})) == ["Valley Pathways"]
    response = client.get("/consortia/", {"q": "nothing like it"})
    assert "No consortium matches" in response.content.decode()


def test_the_list_counts_members(client, consortium, lead):
    MembershipFactory(consortium=consortium)
    MembershipFactory(consortium=consortium)
    client.force_login(lead)

    response = client.get("/consortia/")

    assert response.context["page"].object_list[0].member_count == 3


def test_the_consortia_list_costs_the_same_queries_for_few_or_many_rows(client, staff_user, django_assert_num_queries):
    client.force_login(staff_user)
    ConsortiumFactory()
    few = queries_for(client, "/consortia/")
    for _ in range(10):
        MembershipFactory(consortium=ConsortiumFactory())

    with django_assert_num_queries(few):
        response = client.get("/consortia/")

    assert len(response.context["page"].object_list) == 11


def test_the_consortium_page_costs_the_same_queries_for_few_or_many_members(
    client, consortium, lead, django_assert_num_queries
):
    client.force_login(lead)
    few = queries_for(client, consortium.get_absolute_url())
    for kind in [Organization.Kind.BUSINESS, Organization.Kind.COMMUNITY_COLLEGE] * 5:
        MembershipFactory(consortium=consortium, organization=OrganizationFactory(kind=kind))
    ContactFactory(consortium=consortium)

    with django_assert_num_queries(few):
        response = client.get(consortium.get_absolute_url())

    assert len(response.context["memberships"]) == 11


def test_the_organization_list_costs_the_same_queries_for_few_or_many_rows(
    client, staff_user, django_assert_num_queries
):
    client.force_login(staff_user)
    OrganizationFactory()
    few = queries_for(client, "/organizations/")
    OrganizationFactory.create_batch(20)

    with django_assert_num_queries(few):
        client.get("/organizations/")


def test_only_program_staff_get_links_to_edit_organizations(client, lead, staff_user):
    organization = OrganizationFactory(name="Harbor Logistics Group")
    edit_link = f'href="/organizations/{organization.pk}/edit/"'

    client.force_login(lead)
    assert edit_link not in client.get("/organizations/").content.decode()
    client.force_login(staff_user)
    assert edit_link in client.get("/organizations/").content.decode()


def test_organizations_can_be_filtered_by_kind_and_found_by_exact_code(client, staff_user):
    OrganizationFactory(name="Arroyo Digital Studios", kind=Organization.Kind.BUSINESS, code="95-1234567")
    OrganizationFactory(name="Pasadena Unified", kind=Organization.Kind.SCHOOL_DISTRICT)
    client.force_login(staff_user)

    by_kind = client.get("/organizations/", {"kind": "business"})
    by_code = client.get("/organizations/", {"q": "95-1234567"})
    unknown_kind = client.get("/organizations/", {"kind": "spaceship"})

    assert names_listed(by_kind) == ["Arroyo Digital Studios"]
    assert names_listed(by_code) == ["Arroyo Digital Studios"]
    assert len(names_listed(unknown_kind)) >= 2


def test_the_consortium_page_offers_management_only_to_those_allowed(client, consortium, lead, partner):
    url = consortium.get_absolute_url()

    client.force_login(partner)
    as_partner = client.get(url).content.decode()
    client.force_login(lead)
    as_lead = client.get(url).content.decode()

    for action in ("Edit consortium", "Add member", "Invite a person"):
        assert action not in as_partner
        assert action in as_lead
