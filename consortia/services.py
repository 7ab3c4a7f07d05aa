"""Workflows about consortia and the people in them."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from ccpt.background.services import later

from .models import Affiliation, Consortium, Contact, Invitation, Membership, Organization, User
from .roles import Role


def add_member(*, consortium: Consortium, organization: Organization, role: str = "") -> Membership:
    membership, _ = Membership.objects.get_or_create(
        consortium=consortium,
        organization=organization,
        defaults={"role": role or Membership.role_for(organization.kind)},
    )
    return membership


@transaction.atomic
def save_consortium(*, consortium: Consortium, by: User, counties=None) -> Consortium:
    """Create or update a consortium; the lead agency is always one of its members.

    A lead-agency applicant who creates a consortium becomes its first lead contact.
    """
    creating = consortium.pk is None
    consortium.full_clean()
    consortium.save()
    if counties is not None:
        consortium.counties_served.set(counties)
    add_member(consortium=consortium, organization=consortium.lead_agency)
    if creating and not by.has_perm("consortia.view_every_consortium"):  # staff register consortia for others
        Contact.objects.get_or_create(consortium=consortium, user=by, defaults={"role": Contact.Role.LEAD})
    return consortium


@transaction.atomic
def invite(*, consortium: Consortium, email: str, organization: Organization, role: str, by: User) -> Invitation:
    invitation = Invitation.objects.create(
        consortium=consortium, email=email.lower(), organization=organization, role=role, invited_by=by
    )
    later("consortia.tasks.send_invitation", invitation.pk)
    return invitation


@transaction.atomic
def accept_invitation(*, invitation: Invitation, user: User) -> Contact:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError("This invitation has expired or was already used.")
    contact, created = Contact.objects.get_or_create(
        consortium=invitation.consortium, user=user, defaults={"role": invitation.role}
    )
    if not created and invitation.role == Contact.Role.LEAD and contact.role != Contact.Role.LEAD:
        contact.role = Contact.Role.LEAD
        contact.save(update_fields=["role"])
    Affiliation.objects.get_or_create(user=user, organization=invitation.organization)
    user.groups.add(Group.objects.get(name=Role.APPLICANT))
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return contact
