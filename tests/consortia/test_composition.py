import pytest

from consortia.composition import Requirement, checklist
from consortia.models import Organization

from ..factories import ConsortiumFactory, MembershipFactory, OrganizationFactory

Kind = Organization.Kind
pytestmark = pytest.mark.django_db


def by_requirement(consortium):
    return {check.requirement: check.met for check in consortium.composition_checklist()}


def test_a_consortium_of_only_its_lead_meets_only_the_leads_requirement():
    consortium = ConsortiumFactory(lead_agency__kind=Kind.COUNTY_OFFICE)

    assert by_requirement(consortium) == {
        Requirement.K12: True,
        Requirement.COLLEGE: False,
        Requirement.BUSINESS: False,
        Requirement.WORKFORCE: False,
    }


def test_the_lead_agency_counts_even_when_it_is_not_listed_as_a_member():
    consortium = ConsortiumFactory(lead_agency__kind=Kind.COMMUNITY_COLLEGE)
    consortium.memberships.all().delete()

    assert by_requirement(consortium)[Requirement.COLLEGE] is True


def test_each_member_kind_meets_its_requirement():
    consortium = ConsortiumFactory(lead_agency__kind=Kind.COMMUNITY_COLLEGE)
    MembershipFactory(consortium=consortium, organization=OrganizationFactory(kind=Kind.CHARTER_SCHOOL))
    MembershipFactory(consortium=consortium, organization=OrganizationFactory(kind=Kind.BUSINESS))
    MembershipFactory(consortium=consortium, organization=OrganizationFactory(kind=Kind.WORKFORCE_BOARD))

    assert set(by_requirement(consortium).values()) == {True}


def test_nonprofits_and_state_agencies_meet_no_requirement():
    assert {c.met for c in checklist({Kind.NONPROFIT, Kind.STATE_AGENCY})} == {False}


def test_a_rocp_counts_as_a_k12_agency():
    assert checklist({Kind.ROCP}, requirements=[Requirement.K12])[0].met is True


def test_the_checklist_keeps_the_order_and_labels_of_the_requirements_asked_for():
    checks = checklist({Kind.BUSINESS}, requirements=["business", "k12"])

    assert [(c.label, c.met) for c in checks] == [
        ("At least one business partner", True),
        ("At least one K-12 local educational agency", False),
    ]


def test_the_consortium_page_shows_each_requirement_as_met_or_missing_in_words(client, staff_user):
    consortium = ConsortiumFactory(lead_agency__kind=Kind.COUNTY_OFFICE)
    MembershipFactory(consortium=consortium, organization=OrganizationFactory(kind=Kind.BUSINESS))
    client.force_login(staff_user)

    page = client.get(consortium.get_absolute_url()).content.decode()

    assert "At least one K-12 local educational agency: <strong>yes</strong>" in page
    assert "At least one business partner: <strong>yes</strong>" in page
    assert "At least one community college district: <strong>missing</strong>" in page
    assert "At least one workforce board: <strong>missing</strong>" in page
