"""Organizations carry their real identifiers: a CDS code (K-12 agencies) and an EIN, typed as people write them,
stored one way, refused with a plain message next to the field; codes typed before are moved to them."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils.html import escape

from ccpt.lib.identifiers import clean_cds_code
from consortia.california import COUNTIES
from consortia.models import Organization
from grants import demo
from grants.applications.services import submission as service

from ..factories import OrganizationFactory, county, lead_of, submittable_application

pytestmark = pytest.mark.django_db

Kind = Organization.Kind


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


def post(staff, kind=Kind.SCHOOL_DISTRICT, **identifiers):
    data = {"name": "Sacramento City Unified School District", "kind": kind, "county": county().pk}
    return staff.post("/organizations/new/", {**data, **identifiers})


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("34674390000000", "34674390000000"),
        ("34 67439 0000000", "34674390000000"),
        ("34-67439-0000000", "34674390000000"),
        ("3467439", "34674390000000"),  # a district's county-district code: its CDS code ends in 0000000
    ],
)
def test_a_cds_code_is_stored_as_14_digits_however_it_was_typed(staff, typed, stored):
    response = post(staff, cds_code=typed)

    assert response.status_code == 302
    assert Organization.objects.get().cds_code == stored


@pytest.mark.parametrize("typed", ["94-1234567", "941234567", " 94 1234567 "])
def test_an_ein_is_stored_as_the_irs_writes_it(staff, typed):
    assert post(staff, kind=Kind.BUSINESS, ein=typed).status_code == 302

    assert Organization.objects.get().ein == "94-1234567"


@pytest.mark.parametrize(
    "field, typed, message",
    [
        ("cds_code", "3467439000000", "A CDS code is 14 digits (this has 13): 2 for the county, 5 for the district"),
        ("cds_code", "34-67439-000000O", "A CDS code has only digits, e.g. 34 67439 0000000."),
        ("cds_code", "59674390000000", "A CDS code starts with its county's number, 01 to 58; 59 is not one."),
        ("ein", "94-123456", "An EIN is 9 digits, written like 94-1234567 (this has 8 digits)."),
        ("ein", "94-12345X67", "An EIN is 9 digits, written like 94-1234567 (this has 9 digits and other"),
        ("ein", "00-1234567", "No EIN starts with 00: check the first two digits."),
    ],
)
def test_a_malformed_identifier_is_refused_next_to_its_field_and_kept_as_typed(staff, field, typed, message):
    response = post(staff, **{field: typed})

    assert response.status_code == 200
    (error,) = response.context["form"].errors[field]
    assert error.startswith(message)
    page = response.content.decode()
    assert f'id="error_1_id_{field}"' in page and escape(error) in page
    assert f'value="{escape(typed)}"' in page
    assert not Organization.objects.exists()


def test_only_k12_agencies_may_have_a_cds_code(staff):
    response = post(staff, kind=Kind.BUSINESS, cds_code="34674390000000")

    assert response.context["form"].errors["cds_code"] == [
        "Only K-12 agencies have CDS codes: school districts, county offices of education, charter schools and "
        "ROCPs. Leave it blank, or change the kind."
    ]


def test_two_organizations_cannot_share_a_cds_code_but_may_share_an_ein(staff):
    OrganizationFactory(name="Sacramento City USD", cds_code="34674390000000", ein="94-1234567")

    shared_cds = post(staff, cds_code="34 67439 0000000")
    shared_ein = post(staff, kind=Kind.CHARTER_SCHOOL, ein="94-1234567")  # a charter run by the district

    assert shared_cds.context["form"].errors["cds_code"] == ["Another organization already has this CDS code."]
    assert shared_ein.status_code == 302
    assert Organization.objects.filter(ein="94-1234567").count() == 2


def test_staff_find_an_organization_by_its_cds_code_or_ein_as_typed(client, staff_user):
    OrganizationFactory(name="Sacramento City USD", cds_code="34674390000000")
    OrganizationFactory(name="Harbor Logistics Group", kind=Kind.BUSINESS, ein="95-1234567")
    OrganizationFactory(name="Another district", cds_code="34673140000000")
    client.force_login(staff_user)

    by_cds = client.get("/organizations/", {"q": "34 67439 0000000"}).content.decode()
    by_ein = client.get("/organizations/", {"q": "951234567"}).content.decode()

    assert "Sacramento City USD" in by_cds and "Another district" not in by_cds
    assert "CDS 34 67439 0000000" in by_cds
    assert "Harbor Logistics Group" in by_ein and "Sacramento City USD" not in by_ein
    assert "EIN 95-1234567" in by_ein


def test_codes_typed_before_move_to_the_cds_code_or_ein_they_are_and_others_stay():
    district = OrganizationFactory(kind=Kind.SCHOOL_DISTRICT, code="34 67439 0000000")
    county_office = OrganizationFactory(kind=Kind.COUNTY_OFFICE, code="3410348")
    business = OrganizationFactory(kind=Kind.BUSINESS, code="95-1234567")
    college = OrganizationFactory(kind=Kind.COMMUNITY_COLLEGE, code="231")
    odd = OrganizationFactory(kind=Kind.BUSINESS, code="34674390000001")  # 14 digits, but no K-12 agency
    migration = importlib.import_module("consortia.migrations.0004_move_official_codes")

    migration.move_codes(apps, None)

    identifiers = {
        org.pk: (org.cds_code, org.ein, org.code)
        for org in Organization.objects.filter(pk__in=[district.pk, county_office.pk, business.pk, college.pk, odd.pk])
    }
    assert identifiers == {
        district.pk: ("34674390000000", "", ""),
        county_office.pk: ("34103480000000", "", ""),
        business.pk: ("", "95-1234567", ""),
        college.pk: ("", "", "231"),
        odd.pk: ("", "", "34674390000001"),
    }


def test_the_demos_k12_agencies_carry_cds_codes_of_their_own_county():
    demo.load()

    with_codes = Organization.objects.exclude(cds_code="").select_related("county")
    assert with_codes.count() == 7
    for organization in with_codes:
        assert organization.kind in Organization.K12_KINDS, organization.name
        assert clean_cds_code(organization.cds_code) == organization.cds_code
        assert int(organization.cds_code[:2]) == COUNTIES.index(organization.county.name) + 1, organization.name


def test_a_submitted_application_records_its_lead_agencys_identifiers(client):
    application = submittable_application()
    Organization.objects.filter(pk=application.consortium.lead_agency_id).update(
        cds_code="34103480000000", ein="94-1234567"
    )
    submission = service.submit_application(application=application, by=lead_of(application))
    client.force_login(lead_of(application))

    page = client.get(reverse("applications:submission", args=[application.pk])).content.decode()

    lead_agency = submission.data["consortium"]["lead_agency"]
    assert (lead_agency["cds_code"], lead_agency["ein"]) == ("34103480000000", "94-1234567")
    assert "CDS code 34 10348 0000000, EIN 94-1234567" in page
