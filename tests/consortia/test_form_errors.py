"""Bad input gets a clear message next to the field, keeps what the person typed, and never a 500."""

import pytest
from django.utils.html import escape

from consortia.models import Consortium, Organization, Region

from ..factories import ConsortiumFactory, MembershipFactory, OrganizationFactory, county

Kind = Organization.Kind


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_a_duplicate_official_code_is_reported_on_the_code_field_and_the_typed_values_stay(staff):
    OrganizationFactory(name="Elk Grove Unified School District", code="34672150000000")

    response = staff.post(
        "/organizations/new/",
        {"name": "Elk Grove USD (copy)", "kind": Kind.SCHOOL_DISTRICT, "county": county().pk, "code": "34672150000000"},
    )

    assert response.status_code == 200
    assert field_errors(response, "code") == ["Another organization already has this official code."]
    page = response.content.decode()
    assert 'value="Elk Grove USD (copy)"' in page
    assert 'value="34672150000000"' in page
    assert Organization.objects.filter(code="34672150000000").count() == 1


def test_official_codes_are_compared_without_case_or_surrounding_spaces(staff):
    OrganizationFactory(code="95-ABC")

    response = staff.post(
        "/organizations/new/", {"name": "Another", "kind": Kind.BUSINESS, "county": county().pk, "code": " 95-abc "}
    )

    assert field_errors(response, "code") == ["Another organization already has this official code."]


def test_an_organization_keeps_its_own_code_when_edited(staff):
    organization = OrganizationFactory(name="Old name", code="95-1234567", kind=Kind.BUSINESS)

    response = staff.post(
        f"/organizations/{organization.pk}/edit/",
        {"name": "New name", "kind": Kind.BUSINESS, "county": organization.county_id, "code": "95-1234567"},
    )

    assert response.status_code == 302
    organization.refresh_from_db()
    assert (organization.name, organization.code) == ("New name", "95-1234567")


def test_organizations_may_be_saved_without_a_code(staff):
    for name in ("First partner", "Second partner"):
        response = staff.post("/organizations/new/", {"name": name, "kind": Kind.BUSINESS, "county": county().pk})
        assert response.status_code == 302
    assert Organization.objects.filter(code="").count() == 2


def test_a_duplicate_name_in_the_same_county_is_explained(staff):
    OrganizationFactory(name="Harbor Logistics Group", county=county("Los Angeles"))

    response = staff.post(
        "/organizations/new/",
        {"name": "Harbor Logistics Group", "kind": Kind.BUSINESS, "county": county("Los Angeles").pk},
    )

    assert "An organization with this name already exists in this county." in response.content.decode()


def consortium_data(**overrides):
    data = {"name": "Golden Valley Pathways", "region": Region.objects.first().pk, "labor_market_region": "Fresno"}
    return data | overrides


def test_a_locally_funded_charter_school_as_lead_gets_the_eligibility_message_on_the_lead_field(staff):
    charter = OrganizationFactory(kind=Kind.CHARTER_SCHOOL, is_direct_funded=False)

    response = staff.post("/consortia/new/", consortium_data(lead_agency=charter.pk))

    assert response.status_code == 200
    assert field_errors(response, "lead_agency") == ["Only a direct-funded charter school can be the lead agency."]
    assert 'value="Golden Valley Pathways"' in response.content.decode()
    assert not Consortium.objects.filter(name="Golden Valley Pathways").exists()


@pytest.mark.parametrize("kind", [Kind.BUSINESS, Kind.NONPROFIT, Kind.WORKFORCE_BOARD, Kind.STATE_AGENCY])
def test_an_organization_that_cannot_lead_gets_the_eligibility_message_even_if_posted_by_hand(staff, kind):
    organization = OrganizationFactory(kind=kind)

    response = staff.post("/consortia/new/", consortium_data(lead_agency=organization.pk))

    assert field_errors(response, "lead_agency") == [organization.lead_eligibility_problem]


def test_the_lead_agency_list_offers_only_kinds_that_can_lead(staff):
    district = OrganizationFactory(name="Fresno Unified", kind=Kind.SCHOOL_DISTRICT)
    business = OrganizationFactory(name="Valley Regional Medical Group", kind=Kind.BUSINESS)

    choices = list(staff.get("/consortia/new/").context["form"].fields["lead_agency"].queryset)

    assert district in choices
    assert business not in choices


def test_a_direct_funded_charter_school_can_lead_a_new_consortium_and_becomes_its_first_member(staff):
    charter = OrganizationFactory(kind=Kind.CHARTER_SCHOOL, is_direct_funded=True)

    response = staff.post("/consortia/new/", consortium_data(lead_agency=charter.pk, counties_served=[county().pk]))

    consortium = Consortium.objects.get(name="Golden Valley Pathways")
    assert response["Location"] == consortium.get_absolute_url()
    assert list(consortium.memberships.values_list("organization", flat=True)) == [charter.pk]
    assert list(consortium.counties_served.all()) == [county()]


def test_a_consortium_name_already_taken_is_refused(staff):
    ConsortiumFactory(name="Golden Valley Pathways")
    lead = OrganizationFactory(kind=Kind.SCHOOL_DISTRICT)

    response = staff.post("/consortia/new/", consortium_data(lead_agency=lead.pk))

    assert field_errors(response, "name") == ["Consortium with this Name already exists."]


def test_changing_the_lead_agency_adds_it_as_a_member_and_keeps_the_old_one(client, consortium, lead):
    client.force_login(lead)
    old_lead = consortium.lead_agency
    new_lead = OrganizationFactory(kind=Kind.COMMUNITY_COLLEGE)

    response = client.post(
        f"/consortia/{consortium.pk}/edit/",
        consortium_data(name=consortium.name, region=consortium.region_id, lead_agency=new_lead.pk),
    )

    assert response.status_code == 302
    consortium.refresh_from_db()
    assert consortium.lead_agency == new_lead
    assert set(consortium.memberships.values_list("organization", flat=True)) == {old_lead.pk, new_lead.pk}


@pytest.fixture
def forms_urls(consortium):
    organization = OrganizationFactory()
    return {
        "create": "/consortia/new/",
        "edit": f"/consortia/{consortium.pk}/edit/",
        "member": f"/consortia/{consortium.pk}/members/add/",
        "invite": f"/consortia/{consortium.pk}/invite/",
        "organization": "/organizations/new/",
        "organization edit": f"/organizations/{organization.pk}/edit/",
    }


HUGE = "99999999999999999999999999"
NUL = "bad\x00text"
BAD_INPUT = [
    ("create", {}),
    ("create", {"name": NUL, "lead_agency": "abc", "region": HUGE, "counties_served": ["x", HUGE]}),
    ("create", {"name": "x" * 500, "lead_agency": HUGE, "region": "-1"}),
    ("edit", {"name": "", "lead_agency": "1.5", "region": ""}),
    ("member", {"organization": "abc", "role": "boss"}),
    ("member", {"organization": HUGE}),
    ("member", {"organization": NUL}),
    ("invite", {"email": "not-an-email", "organization": "", "role": "owner"}),
    ("invite", {"email": NUL + "@example.org", "organization": HUGE}),
    ("organization", {"name": NUL, "kind": "spaceship", "county": "Atlantis", "website": "not a url"}),
    ("organization", {"name": "A", "kind": Kind.BUSINESS, "county": HUGE, "code": "C" * 40}),
    ("organization edit", {"name": "", "kind": "", "county": ""}),
]


@pytest.mark.parametrize(("form", "data"), BAD_INPUT)
def test_invalid_input_redisplays_the_form_with_errors_instead_of_failing(staff, forms_urls, form, data):
    response = staff.post(forms_urls[form], data)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "is-invalid" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/consortia/?q=%00",
        "/consortia/?q=a%00b&page=x",
        "/consortia/?page=-4",
        "/organizations/?q=%00&kind=%00",
        "/organizations/?page=99999",
    ],
)
def test_odd_search_input_never_fails(staff, url):
    assert staff.get(url).status_code == 200


@pytest.mark.parametrize("token", ["%00", "abc%00def", "..%2F..%2Fetc"])
def test_odd_invitation_tokens_are_simply_not_found(client, db, token):
    assert client.get(f"/invitations/{token}/").status_code == 404


def test_adding_a_member_twice_is_refused_with_a_clear_message(client, consortium, lead):
    member = MembershipFactory(consortium=consortium, organization__name="Harbor Logistics Group").organization
    client.force_login(lead)

    response = client.post(f"/consortia/{consortium.pk}/members/add/", {"organization": member.pk})

    assert response.status_code == 200
    assert field_errors(response, "organization") == ["Harbor Logistics Group is already a member of this consortium."]
    assert consortium.memberships.filter(organization=member).count() == 1


def test_the_add_member_list_leaves_out_current_members(client, consortium, lead):
    member = MembershipFactory(consortium=consortium).organization
    outside = OrganizationFactory()
    client.force_login(lead)

    choices = list(
        client.get(f"/consortia/{consortium.pk}/members/add/").context["form"].fields["organization"].queryset
    )

    assert outside in choices
    assert member not in choices
    assert consortium.lead_agency not in choices


def test_a_new_member_gets_the_usual_role_for_its_kind_unless_one_is_chosen(client, consortium, lead):
    college = OrganizationFactory(kind=Kind.COMMUNITY_COLLEGE)
    nonprofit = OrganizationFactory(kind=Kind.NONPROFIT)
    client.force_login(lead)

    client.post(f"/consortia/{consortium.pk}/members/add/", {"organization": college.pk})
    response = client.post(
        f"/consortia/{consortium.pk}/members/add/", {"organization": nonprofit.pk, "role": "business"}
    )

    assert response.status_code == 302
    roles = dict(consortium.memberships.values_list("organization", "role"))
    assert roles[college.pk] == "postsecondary"
    assert roles[nonprofit.pk] == "business"


def test_removing_the_lead_agency_is_refused_with_a_message(client, consortium, lead):
    membership = consortium.memberships.get(organization=consortium.lead_agency)
    client.force_login(lead)

    response = client.post(f"/consortia/{consortium.pk}/members/{membership.pk}/remove/", follow=True)

    assert consortium.memberships.filter(pk=membership.pk).exists()
    assert "The lead agency cannot be removed; choose another lead agency first." in response.content.decode()


def test_removing_a_partner_member_takes_it_off_the_consortium(client, consortium, lead):
    membership = MembershipFactory(consortium=consortium, organization__name="Arroyo Digital Studios")
    client.force_login(lead)

    response = client.post(f"/consortia/{consortium.pk}/members/{membership.pk}/remove/", follow=True)

    assert not consortium.memberships.filter(pk=membership.pk).exists()
    assert "Removed Arroyo Digital Studios from the consortium." in response.content.decode()
    assert Organization.objects.filter(name="Arroyo Digital Studios").exists()


def test_a_message_with_markup_in_a_name_is_escaped(client, consortium, lead):
    membership = MembershipFactory(consortium=consortium, organization__name="<b>Bold</b> & Co")
    client.force_login(lead)

    response = client.post(f"/consortia/{consortium.pk}/members/{membership.pk}/remove/", follow=True)

    assert escape("Removed <b>Bold</b> & Co from the consortium.") in response.content.decode()
