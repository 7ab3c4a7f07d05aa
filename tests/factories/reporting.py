"""Grantees that report: an accepted award whose consortium has a county office as lead agency, a school district, a
community college and a business among its members, on the program's standard indicators."""

from dataclasses import dataclass

from consortia.models import Contact, Organization
from grants.awards.models import Award
from grants.reporting.models import DataManager
from grants.reporting.services.indicators import add_standard_indicators
from grants.reporting.services.reports import open_reports

from .awards import AwardFactory
from .consortia import MembershipFactory, OrganizationFactory, contact_of


@dataclass
class Grantee:
    award: Award
    district: Organization
    college: Organization
    business: Organization
    lead: object  # the lead agency's staff
    district_manager: object  # data manager of the district
    college_manager: object  # data manager of the college

    @property
    def consortium(self):
        return self.award.consortium

    @property
    def county_office(self):
        return self.award.consortium.lead_agency

    def report(self, period=None):
        reports = open_reports(self.award)
        return next(r for r in reports if r.period == (period or reports[0].period))


def _free(name: str, award) -> str:
    """The name, or with the award's number when another grantee's member has it already."""
    return f"{name} ({award.number})" if Organization.objects.filter(name=name).exists() else name


def reporting_grantee(**award_fields) -> Grantee:
    """`award_fields` go to the award (its round, its consortium...)."""
    award = AwardFactory(**{"status": Award.Status.ACCEPTED, **award_fields})
    if not award.round.program.indicators.exists():
        add_standard_indicators(program=award.round.program)
    consortium = award.consortium
    district = MembershipFactory(
        consortium=consortium, organization=OrganizationFactory(name=_free("Alder Unified", award))
    ).organization
    college = MembershipFactory(
        consortium=consortium,
        organization=OrganizationFactory(name=_free("Birch College", award), kind=Organization.Kind.COMMUNITY_COLLEGE),
    ).organization
    business = OrganizationFactory(name=_free("Cedar Works", award), kind=Organization.Kind.BUSINESS)
    MembershipFactory(consortium=consortium, organization=business)
    lead = contact_of(consortium)
    managers = []
    for organization in (district, college):
        user = contact_of(consortium, role=Contact.Role.PARTNER)
        DataManager.objects.create(consortium=consortium, organization=organization, user=user, named_by=lead)
        managers.append(user)
    return Grantee(award, district, college, business, lead, *managers)
