"""The set-aside: how much a program reserves for planning grants and technical assistance (EC 53015(e)), what
was drawn from it, and what is left. Every draw locks the program's row and re-reads what was drawn, so two
staff drawing at once can never take more than the reserve.
"""

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum

from ccpt.lib.money import ZERO
from grants.programs.models import Program

from .models import SetAsideEntry


class OverCommitment(Exception):
    """The money is not there; the message says how much is."""


def set_aside_drawn(program: Program) -> Decimal:
    return SetAsideEntry.objects.filter(program=program).aggregate(t=Sum("amount"))["t"] or ZERO


@transaction.atomic
def draw_set_aside(
    *, program: Program, kind: str, amount: Decimal, by, consortium=None, organization=None, description: str = ""
) -> SetAsideEntry:
    """Record a planning grant or technical-assistance contract paid from the set-aside, never beyond it."""
    if not by.is_program_staff:
        raise PermissionDenied
    program = Program.objects.select_for_update().get(pk=program.pk)
    if kind == SetAsideEntry.Kind.PLANNING_GRANT and not program.set_aside_funds_planning_grants:
        raise OverCommitment("This program's set-aside does not fund planning grants.")
    if kind == SetAsideEntry.Kind.TECHNICAL_ASSISTANCE and not program.set_aside_funds_technical_assistance:
        raise OverCommitment("This program's set-aside does not fund technical assistance.")
    if amount <= ZERO:
        raise OverCommitment("The amount must be more than zero.")
    left = program.set_aside_amount - set_aside_drawn(program)
    if amount > left:
        raise OverCommitment(f"${amount:,.2f} is more than the ${left:,.2f} left in the set-aside.")
    return SetAsideEntry.objects.create(
        program=program,
        kind=kind,
        amount=amount,
        consortium=consortium,
        organization=organization,
        description=description,
        recorded_by=by,
    )
