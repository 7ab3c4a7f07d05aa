import pytest
from django.core.exceptions import ValidationError

from consortia.models import Organization

from ..factories import ConsortiumFactory, OrganizationFactory

Kind = Organization.Kind
ELIGIBLE = [Kind.SCHOOL_DISTRICT, Kind.COUNTY_OFFICE, Kind.COMMUNITY_COLLEGE, Kind.ROCP]
INELIGIBLE = [Kind.BUSINESS, Kind.WORKFORCE_BOARD, Kind.NONPROFIT, Kind.STATE_AGENCY]


@pytest.mark.parametrize("kind", ELIGIBLE)
def test_school_agencies_colleges_and_rocps_may_lead(kind):
    assert Organization(name="X", kind=kind).lead_eligibility_problem == ""


@pytest.mark.parametrize("kind", INELIGIBLE)
def test_other_kinds_may_not_lead_and_the_message_names_the_kind_and_the_rule(kind):
    problem = Organization(name="X", kind=kind).lead_eligibility_problem

    label = Kind(kind).label.lower()
    assert problem.startswith(f"A {label} cannot be the lead agency")
    assert "school district, county office of education, direct-funded charter school" in problem


def test_a_charter_school_may_lead_only_when_direct_funded():
    funded = Organization(name="X", kind=Kind.CHARTER_SCHOOL, is_direct_funded=True)
    locally_funded = Organization(name="Y", kind=Kind.CHARTER_SCHOOL, is_direct_funded=False)

    assert funded.lead_eligibility_problem == ""
    assert locally_funded.lead_eligibility_problem == "Only a direct-funded charter school can be the lead agency."


def test_every_kind_is_classified():
    assert set(ELIGIBLE) | set(INELIGIBLE) | {Kind.CHARTER_SCHOOL} == set(Kind)


@pytest.mark.django_db
def test_validating_a_consortium_puts_the_problem_on_the_lead_agency_field():
    consortium = ConsortiumFactory.build(lead_agency=OrganizationFactory(kind=Kind.BUSINESS))

    with pytest.raises(ValidationError) as raised:
        consortium.full_clean()

    assert raised.value.message_dict["lead_agency"] == [consortium.lead_agency.lead_eligibility_problem]


@pytest.mark.django_db
def test_validating_a_consortium_with_an_eligible_lead_raises_nothing_about_the_lead():
    consortium = ConsortiumFactory.build(lead_agency=OrganizationFactory(kind=Kind.COMMUNITY_COLLEGE))

    consortium.clean()
