"""The 360Giving export identifies grants and the funder under the program's own prefix, and recipients by their
real identifiers in the org-id.guide scheme: US-EIN for an EIN; a CDS code (no register in org-id.guide) under the
prefix; our own number only when neither is known."""

import json

import pytest
from django.urls import reverse

from consortia.models import Organization
from grants.awards.services import threesixtygiving
from tests.factories import OrganizationFactory, ProgramFactory, RoundFactory, award_in

pytestmark = pytest.mark.django_db

K = Organization.Kind


def export(client, program) -> dict:
    response = client.get(reverse("outcomes:awards-360giving", args=[program.pk]))
    assert response.status_code == 200, response.content.decode()
    data = json.loads(response.content)
    assert threesixtygiving.problems(data) == []
    return data


def recipients(data) -> dict[str, str]:
    return {g["recipientOrganization"][0]["name"]: g["recipientOrganization"][0]["id"] for g in data["grants"]}


def test_recipients_are_identified_by_ein_then_cds_code_then_our_number(staff_client, round_1):
    leads = [
        OrganizationFactory(name="Valley USD", kind=K.SCHOOL_DISTRICT, cds_code="34999990000000", ein="94-1234567"),
        OrganizationFactory(name="Sacramento COE", kind=K.COUNTY_OFFICE, cds_code="34103480000000"),
        OrganizationFactory(name="River CCD", kind=K.COMMUNITY_COLLEGE, ein="68-7654321", code="231"),
        OrganizationFactory(name="Foothill CCD", kind=K.COMMUNITY_COLLEGE, code="311"),
    ]
    for number, lead in enumerate(leads, 1):
        award_in(round_1, f"R1-A00{number}", "100000.00", lead=lead)

    found = recipients(export(staff_client, round_1.program))

    assert found == {
        "Valley USD": "US-EIN-941234567",
        "Sacramento COE": "360G-CDE-CCPT-CDS-34103480000000",
        "River CCD": "US-EIN-687654321",
        "Foothill CCD": f"360G-CDE-CCPT-ORG-{leads[3].pk}",
    }
    assert not any(identifier.startswith("ORG-") for identifier in found.values())


def test_each_program_publishes_under_its_own_prefix(staff_client):
    trust = ProgramFactory(name="California Career Pathways Trust")
    incentive = ProgramFactory(name="CTE Incentive Grant", threesixtygiving_prefix="360G-CDE-CTEIG")
    lead = OrganizationFactory(kind=K.SCHOOL_DISTRICT, cds_code="19647330000000")
    award_in(RoundFactory(program=trust, code="r1"), "R1-A001", "100.00", lead=lead)
    award_in(RoundFactory(program=incentive, code="ig1"), "IG1-A001", "100.00", lead=lead)

    (trust_grant,) = export(staff_client, trust)["grants"]
    (incentive_grant,) = export(staff_client, incentive)["grants"]

    assert trust_grant["id"] == "360G-CDE-CCPT-R1-A001"
    assert trust_grant["fundingOrganization"][0]["id"] == "360G-CDE-CCPT-FUNDER"
    assert trust_grant["recipientOrganization"][0]["id"] == "360G-CDE-CCPT-CDS-19647330000000"
    assert incentive_grant["id"] == "360G-CDE-CTEIG-IG1-A001"
    assert incentive_grant["fundingOrganization"][0]["id"] == "360G-CDE-CTEIG-FUNDER"
    assert incentive_grant["recipientOrganization"][0]["id"] == "360G-CDE-CTEIG-CDS-19647330000000"
