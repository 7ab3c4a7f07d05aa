"""Who takes part: people and their affiliations, organizations, consortia and their members."""

from .consortia import (
    Consortium,
    ConsortiumQuerySet,
    Contact,
    Invitation,
    InvitationQuerySet,
    Membership,
    _new_token,  # noqa: F401 - the migrations name it consortia.models._new_token
)
from .organizations import Affiliation, County, Organization, Region
from .people import INVITATION_LIFETIME, ROLE_FLAGS, User, UserManager

__all__ = [
    "INVITATION_LIFETIME",
    "ROLE_FLAGS",
    "Affiliation",
    "Consortium",
    "ConsortiumQuerySet",
    "Contact",
    "County",
    "Invitation",
    "InvitationQuerySet",
    "Membership",
    "Organization",
    "Region",
    "User",
    "UserManager",
]
