"""Workflows about consortia and the people in them."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.refusal import Refusal, require_reason

from .models import Affiliation, Consortium, Contact, Invitation, Membership, Organization, User
from .roles import Role


def contact_emails(consortium_id: int) -> list[str]:
    """The emails of a consortium's contacts who can sign in (lead agency and partners), sorted: who is told of
    what happens to its applications and awards."""
    contacts = Contact.objects.filter(consortium_id=consortium_id, user__is_active=True)
    return sorted(set(contacts.values_list("user__email", flat=True)))


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


def roles_text(names) -> str:
    """Roles as people read them, in the fixed order of `Role`: "Reader, Program staff"."""
    return ", ".join(role.label for role in Role if role.value in names) or "no role"


# Separation of duties: an administrator approves what readers score and what consortia receive.
NOT_WITH_ADMINISTRATOR = {Role.READER, Role.APPLICANT}


@transaction.atomic
def change_roles(*, person: User, roles, active: bool, reason: str, by: User) -> Event:
    """Give `person` exactly `roles` (Role values) and the active flag `active`, for a reason kept in the audit
    trail. An administrator keeps their own Administrator role and stays active, and the last active
    administrator keeps theirs, so that the site always has someone who can give roles."""
    roles = set(roles)
    reason = require_reason(reason)
    # Every administrator's row is locked, so that two administrators removing each other at the same moment
    # are taken one after the other, and the second finds the site would be left without one.
    administrators = User.groups.through.objects.filter(group__name=Role.ADMINISTRATOR).values("user_id")
    list(
        User.objects.select_for_update(of=("self",))
        .filter(Q(pk__in=[person.pk, by.pk]) | Q(pk__in=administrators))
        .order_by("pk")
    )
    by, person = User.objects.get(pk=by.pk), User.objects.get(pk=person.pk)  # as they are now, not as asked
    _keep_an_administrator(person=person, by=by, roles=roles, active=active)
    if not by.has_perm("consortia.change_roles", person):
        raise Refusal("Only an administrator can change people's roles; nothing was changed.")
    before = {name for name in person.groups.values_list("name", flat=True) if name in Role.values}
    if roles == before and active == person.is_active:
        raise Refusal(f"Nothing to change: {person} already has these roles and this status.")
    if Role.ADMINISTRATOR in roles and roles & NOT_WITH_ADMINISTRATOR:
        raise Refusal(
            "An administrator cannot also be a reader or a consortium applicant: administrators approve what "
            "readers score and what consortia receive. Choose one or the other.",
            errors={"roles": "An administrator cannot also be a reader or a consortium applicant."},
        )
    person.groups.set(Group.objects.filter(name__in=roles))
    changes = []
    if roles != before:
        changes.append(f"Roles: {roles_text(before)} → {roles_text(roles)}")
    if active != person.is_active:
        person.is_active = active
        person.save(update_fields=["is_active"])
        changes.append("Reactivated" if active else "Deactivated: can no longer sign in")
    return record(Event.Action.ROLE_CHANGE, by=by, obj=person, summary=f"{'; '.join(changes)} ({reason})")


def _keep_an_administrator(*, person: User, by: User, roles: set, active: bool) -> None:
    """Refuse a change that takes an active administrator's role or access away from themselves or from the last
    active administrator."""
    removes_role, deactivates = Role.ADMINISTRATOR not in roles, not active
    if not (person.is_active and person.has_role(Role.ADMINISTRATOR)) or not (removes_role or deactivates):
        return
    if person.pk == by.pk:
        never_without = "another administrator must do it, so that the site is never left without one."
        errors = {}
        if removes_role:
            errors["roles"] = f"You cannot remove your own Administrator role: {never_without}"
        if deactivates:
            errors["active"] = f"You cannot deactivate yourself: {never_without}"
        raise Refusal(" ".join(errors.values()), errors=errors)
    others = User.objects.filter(groups__name=Role.ADMINISTRATOR, is_active=True).exclude(pk=person.pk)
    if not others.exists():
        raise Refusal(
            f"{person} is the last active administrator: make someone else an administrator first, so that the "
            "site is never left without one."
        )
