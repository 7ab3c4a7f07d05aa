"""The consortia app's pages, one module per topic; consortia/urls.py names them from here."""

from .consortia import (
    accept_invitation,
    consortium_detail,
    consortium_form,
    consortium_list,
    invite,
    member_add,
    member_remove,
)
from .organizations import organization_form, organization_list
from .people import people, person_roles

__all__ = [
    "accept_invitation",
    "consortium_detail",
    "consortium_form",
    "consortium_list",
    "invite",
    "member_add",
    "member_remove",
    "organization_form",
    "organization_list",
    "people",
    "person_roles",
]
