"""Workflows declared as data: which status changes are allowed, and who may make them.

Every status change of a round or an application goes through `transition()`, so each one is
permission-checked and recorded (who, when, from, to, why) the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from grants.applications.models import Application
from grants.models import StatusChange
from grants.programs.models import Round

R = Round.Status
A = Application.Status


def _staff(user) -> bool:
    return user.is_program_staff


def _admin(user) -> bool:
    return user.is_administrator


def _applicant(user, obj) -> bool:
    from consortia.models import Contact

    return obj.consortium.contacts.filter(user=user, role=Contact.Role.LEAD).exists()


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    label: str
    allowed: Callable  # (user, obj) -> bool
    needs_reason: bool = False
    guard: Callable | None = None  # (obj) -> list of problems that block the change


def _round_ready(round_) -> list[str]:
    return round_.configuration_problems()


ROUND_TRANSITIONS = [
    Transition(R.DRAFT, R.OPEN, "Open for applications", lambda u, o: _admin(u), guard=_round_ready),
    Transition(R.OPEN, R.DRAFT, "Return to draft", lambda u, o: _admin(u), needs_reason=True),
    Transition(R.OPEN, R.CLOSED, "Close applications", lambda u, o: _staff(u)),
    Transition(R.CLOSED, R.OPEN, "Reopen applications", lambda u, o: _admin(u), needs_reason=True),
    Transition(R.CLOSED, R.IN_REVIEW, "Start review", lambda u, o: _staff(u)),
    Transition(R.IN_REVIEW, R.DECIDED, "Record decisions", lambda u, o: _admin(u)),
    Transition(R.DECIDED, R.CLOSED_OUT, "Close out", lambda u, o: _admin(u)),
]

APPLICATION_TRANSITIONS = [
    Transition(A.DRAFT, A.SUBMITTED, "Submit", _applicant),
    Transition(A.DRAFT, A.WITHDRAWN, "Withdraw", _applicant),
    Transition(A.SUBMITTED, A.WITHDRAWN, "Withdraw", _applicant),
    Transition(A.SUBMITTED, A.DRAFT, "Reopen for changes", lambda u, o: _staff(u), needs_reason=True),
]


class TransitionError(Exception):
    """A status change that is not allowed now; the message says why, for the person who asked."""


def transitions_for(obj) -> list[Transition]:
    return ROUND_TRANSITIONS if isinstance(obj, Round) else APPLICATION_TRANSITIONS


def available(obj, user) -> list[Transition]:
    return [t for t in transitions_for(obj) if t.source == obj.status and t.allowed(user, obj)]


def find(obj, target: str) -> Transition | None:
    return next((t for t in transitions_for(obj) if t.source == obj.status and t.target == target), None)


@transaction.atomic
def transition(obj, target: str, *, by, reason: str = "", check_permission: bool = True) -> StatusChange:
    """Move obj to target status, recording who, when and why. The row is locked while it changes."""
    locked = type(obj).objects.select_for_update().get(pk=obj.pk)
    step = find(locked, target)
    if step is None:
        known = dict(type(obj).Status.choices)
        target_label = known.get(target, target).lower() if target in known else f"“{target}”"
        raise TransitionError(f"Cannot go from {locked.get_status_display().lower()} to {target_label}.")
    if check_permission and not step.allowed(by, locked):
        raise PermissionDenied
    if step.needs_reason and not reason.strip():
        raise TransitionError("Give a reason for this change; it is kept in the record.")
    if step.guard and (problems := step.guard(locked)):
        raise TransitionError(" ".join(problems))
    source = locked.status
    locked.status = target
    locked.save(update_fields=["status"])
    obj.status = target
    return StatusChange.objects.create(subject=locked, from_status=source, to_status=target, by=by, reason=reason)
