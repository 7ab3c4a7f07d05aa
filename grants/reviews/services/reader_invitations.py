"""Inviting someone to read: staff enter their email, name, affiliations and expertise; the link is emailed through
the background work; accepting creates the account (or links the one that exists) and puts it in the Readers group
with what staff entered. The link works 14 days from when it was last sent; staff may resend (a new link, the old
one stops working) or revoke it. Every step is in the audit trail.
"""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from consortia.models import User
from consortia.roles import Role
from consortia.services import NOT_WITH_ADMINISTRATOR

from ..models import ReaderInvitation, ReaderProfile
from .readers import PERM, apply_profile

SEND = "grants.reviews.tasks.send_reader_invitation"


def _refusal_for(email: str) -> str:
    """Why this address cannot be invited to read now; empty when it can."""
    person = User.objects.filter(email__iexact=email).first()
    if person is not None:
        if ReaderProfile.objects.filter(user=person, deactivated_at__isnull=False).exists():
            return f"{person} is a deactivated reader: reactivate them in the reader pool instead of inviting them."
        if person.has_role(Role.READER):
            return f"{person} is a reader already."
        if person.is_administrator and Role.READER in NOT_WITH_ADMINISTRATOR:
            return f"{person} is an administrator, and an administrator cannot also be a reader."
        if not person.is_active:
            return f"{person}'s account is deactivated: an administrator reactivates it on the people page first."
    if ReaderInvitation.objects.pending().filter(email__iexact=email).exists():
        return f"An invitation to {email} is already waiting to be accepted: resend it from the reader pool."
    return ""


@transaction.atomic
def invite(*, email: str, first_name: str, last_name: str, organizations, sectors, expertise: str, by):
    authorize(by, PERM)
    email = email.strip().lower()
    if problem := _refusal_for(email):
        raise Refusal(problem, errors={"email": problem})
    invitation = ReaderInvitation.objects.create(
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        sectors=sorted(set(sectors)),
        expertise=(expertise or "").strip(),
        invited_by=by,
    )
    invitation.organizations.set(organizations)
    record(Event.Action.ROLE_CHANGE, by=by, obj=invitation, summary=f"Invited {email} to read")
    later(SEND, invitation.pk)
    return invitation


def _waiting(invitation: ReaderInvitation, by) -> ReaderInvitation:
    """The invitation locked, when it is neither accepted nor revoked (an expired one may still be resent)."""
    authorize(by, PERM)
    locked = ReaderInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at or locked.revoked_at:
        raise Refusal(f"The invitation of {locked.email} was {'accepted' if locked.accepted_at else 'revoked'}.")
    return locked


@transaction.atomic
def resend(*, invitation: ReaderInvitation, by) -> ReaderInvitation:
    """A new link, good for 14 days from now, emailed again; the old link stops working."""
    locked = _waiting(invitation, by)
    locked.token = ReaderInvitation._meta.get_field("token").default()
    locked.issued_at, locked.sent_at = timezone.now(), None
    locked.save(update_fields=["token", "issued_at", "sent_at"])
    record(Event.Action.ROLE_CHANGE, by=by, obj=locked, summary=f"Invitation to read resent to {locked.email}")
    later(SEND, locked.pk)
    return locked


@transaction.atomic
def revoke(*, invitation: ReaderInvitation, by) -> ReaderInvitation:
    locked = _waiting(invitation, by)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    record(Event.Action.ROLE_CHANGE, by=by, obj=locked, summary=f"Invitation to read of {locked.email} revoked")
    return locked


@transaction.atomic
def accept(*, invitation: ReaderInvitation, user: User) -> User:
    """The invited person accepts (signed in as the invited address, or with the account just created): they join
    the Readers group with the affiliations and expertise staff entered. Usable once."""
    locked = ReaderInvitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_usable:
        raise Refusal("This invitation has expired, was revoked or was already used.")
    if user.email.lower() != locked.email:
        raise Refusal(f"This invitation is for {locked.email}.")
    if user.is_administrator:
        raise Refusal("An administrator cannot also be a reader; ask program staff to invite another address.")
    if ReaderProfile.objects.filter(user=user, deactivated_at__isnull=False).exists():
        raise Refusal("You are a deactivated reader: program staff reactivate you rather than invite you.")
    user.groups.add(Group.objects.get(name=Role.READER))
    user.__dict__.pop("roles", None)
    if not user.first_name and not user.last_name:
        user.first_name, user.last_name = locked.first_name, locked.last_name
        user.save(update_fields=["first_name", "last_name"])
    # The affiliations staff entered are added to those the person has; their sectors and expertise are kept too.
    organizations = {a.organization for a in user.affiliations.select_related("organization")}
    organizations |= set(locked.organizations.all())
    sectors = set(user.reader_sectors.values_list("sector", flat=True)) | set(locked.sectors)
    apply_profile(reader=user, organizations=organizations, sectors=sectors, expertise=locked.expertise)
    locked.accepted_at, locked.accepted_by = timezone.now(), user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    record(
        Event.Action.ROLE_CHANGE,
        by=user,
        obj=user,
        summary=f"Accepted the invitation to read from {locked.invited_by}: now a reader",
    )
    return user


def send(invitation_id: int) -> bool:
    """Email the invitation's link, once per link: the row is claimed and the mail sent in one transaction."""
    with transaction.atomic():
        claimed = ReaderInvitation.objects.filter(pk=invitation_id, sent_at__isnull=True, accepted_at__isnull=True)
        if not claimed.filter(revoked_at__isnull=True).update(sent_at=timezone.now()):
            return False
        invitation = ReaderInvitation.objects.select_related("invited_by").get(pk=invitation_id)
        context = {"invitation": invitation, "link": settings.SITE_URL + invitation.get_absolute_url()}
        send_mail(
            subject="You are invited to read applications on CCPT Grants",
            message=render_to_string("reviews/emails/reader_invitation.txt", context),
            from_email=None,
            recipient_list=[invitation.email],
        )
    return True
