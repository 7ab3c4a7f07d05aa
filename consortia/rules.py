"""Who may do what with consortia and people: the one place these object-level checks live.

`is_contact` and `is_lead_contact` answer "does this person speak for this consortium?" for every app: an
application's, an award's or a report's rules ask them of that object's consortium (`of_consortium`).

Separation of duties: administrators do everything program staff do (`is_program_staff` includes them), but an
administrator never acts for a consortium or as a reader, even when also listed as a contact or given an
assignment: every applicant and reader rule is `not_administrator & ...`. Superusers get nothing from these rules
(User.has_perm): their flag opens the back office (the Django admin) only.
"""

import itertools

import rules
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Contact


@rules.predicate
def is_administrator(user):
    return user.is_authenticated and user.is_administrator


@rules.predicate
def is_program_staff(user):
    return user.is_authenticated and user.is_program_staff


# Asked before any applicant or reader action (module docstring).
not_administrator = ~is_administrator


# Bumped whenever a contact is added, changed or removed in this process: what a person object remembers of their
# contacts (contact_role) is read again after any such change.
_contacts_changed = itertools.count()
_generation = [next(_contacts_changed)]


@receiver([post_save, post_delete], sender=Contact, dispatch_uid="consortia.rules.contacts_changed")
def _forget_contacts(**kwargs):
    _generation[0] = next(_contacts_changed)


def remember_contact_roles(user, roles: dict[int, str]) -> None:
    """What the person object remembers of their contacts ({consortium id: role}) until a contact changes: the
    signed-in person's are read with them on each request (consortia/accounts/backends.py)."""
    user._contact_roles = (_generation[0], roles)


def _contact_roles(user) -> dict[int, str]:
    generation, roles = getattr(user, "_contact_roles", (None, None))
    if generation != _generation[0]:
        roles = dict(Contact.objects.filter(user=user).values_list("consortium_id", "role"))
        remember_contact_roles(user, roles)
    return roles


def spoken_for(user) -> list[int]:
    """The ids of the consortia the person is a contact of: lists of "my" applications, awards and consortia filter
    on them instead of joining the contacts again (and make no query at all for a person with none)."""
    if not user.is_authenticated:
        return []
    return sorted(_contact_roles(user))


def contact_role(user, consortium) -> str | None:
    """The person's role among the consortium's contacts (Contact.Role), None when they are not one of them.

    A page asks it several times (may view, may change, may submit...): the first question reads every consortium
    the person speaks for, in one query (unless the person was read with them), and the person object (one per
    request) remembers the answer until a contact changes."""
    return _contact_roles(user).get(consortium.pk)


@rules.predicate
def is_contact(user, consortium):
    if consortium is None or not user.is_authenticated:
        return False
    return contact_role(user, consortium) is not None


@rules.predicate
def is_lead_contact(user, consortium):
    if consortium is None or not user.is_authenticated:
        return False
    return contact_role(user, consortium) == Contact.Role.LEAD


def of_consortium(predicate: rules.Predicate) -> rules.Predicate:
    """The same question asked of an object's consortium (an application's, an award's)."""

    def asked(user, obj):
        return predicate.test(user, obj.consortium if obj is not None else None)

    return rules.Predicate(asked, name=f"{predicate.name}_of_consortium")


rules.add_perm("consortia.view_consortium", is_program_staff | is_contact)
rules.add_perm("consortia.view_every_consortium", is_program_staff)  # no object: lists of consortia
rules.add_perm("consortia.add_consortium", is_program_staff)
rules.add_perm("consortia.change_consortium", is_program_staff | is_lead_contact)
rules.add_perm("consortia.invite_contact", is_program_staff | is_lead_contact)
rules.add_perm("consortia.add_organization", is_program_staff | rules.is_group_member("Applicants"))
rules.add_perm("consortia.change_organization", is_program_staff)

# People and their roles (obj: the person, a User), on the site's People pages
rules.add_perm("consortia.manage_people", is_administrator)  # no object: the list of people
rules.add_perm("consortia.change_roles", is_administrator)
