import pytest

from consortia.models import Membership, Organization

Kind = Organization.Kind
Role = Membership.Role


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (Kind.SCHOOL_DISTRICT, Role.K12),
        (Kind.COUNTY_OFFICE, Role.K12),
        (Kind.CHARTER_SCHOOL, Role.K12),
        (Kind.ROCP, Role.K12),
        (Kind.COMMUNITY_COLLEGE, Role.POSTSECONDARY),
        (Kind.BUSINESS, Role.BUSINESS),
        (Kind.WORKFORCE_BOARD, Role.WORKFORCE),
        (Kind.NONPROFIT, Role.OTHER),
        (Kind.STATE_AGENCY, Role.OTHER),
    ],
)
def test_each_kind_of_organization_gets_its_usual_member_role(kind, role):
    assert Membership.role_for(kind) == role
