"""When reviews are due: staff set a round's review due date and may extend one reader's assignment, with a reason.

The reader's queue, the assignment board and the reminders read the effective date (Assignment.objects.with_due()).
"""

from datetime import datetime

from django.db import transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import format_datetime
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from grants.programs.models import Round

from ..models import Assignment


def _when(value: datetime | None) -> str:
    return format_datetime(value) if value else "none"


@transaction.atomic
def set_review_due(*, round_: Round, by, due_at: datetime | None) -> Round:
    """Staff set (or clear) the date a round's reviews are due."""
    authorize(by, "reviews.manage_assignments", round_)
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    before = round_.review_due_at
    round_.review_due_at = due_at
    round_._history_user = by
    round_.save(update_fields=["review_due_at"])
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=round_,
        summary=f"Reviews due: {_when(before)} → {_when(due_at)}",
    )
    return round_


@transaction.atomic
def extend_assignment(*, assignment: Assignment, by, due_at: datetime | None, reason: str) -> Assignment:
    """Staff give one reader a due date of their own (or take it away, back to the round's), saying why."""
    authorize(by, "reviews.manage_assignments", assignment.application.round)
    reason = require_reason(reason, "Give a reason for the new due date; it is kept in the record.")
    assignment = Assignment.objects.select_for_update().select_related("application", "reader").get(pk=assignment.pk)
    if assignment.status not in Assignment.ACTIVE:
        raise Refusal(f"{assignment.reader} is no longer assigned to {assignment.application.number}.")
    before = assignment.due_at
    assignment.due_at = due_at
    assignment.due_reason = reason
    assignment._history_user = by
    assignment.save(update_fields=["due_at", "due_reason"])
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=assignment,
        summary=(
            f"Review due for {assignment.reader} on {assignment.application.number}: "
            f"{_when(before)} → {_when(due_at) if due_at else 'the round’s date'} ({reason})"
        ),
    )
    return assignment
