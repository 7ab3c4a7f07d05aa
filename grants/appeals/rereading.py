"""An upheld appeal whose remedy is a new reading re-opens review of that one application, after publication.

From the decision until staff close the re-reading, reviews asks reopened_at() (registered in apps.py with
reviews' add_reopen_check) and lets staff assign the application new readers (its original readers are refused)
and lets those readers score it. Closing computes the re-read score (grants.reviews.services.rereading.rescore: the
new readers' mean, the round's bonus, its place among the other applications' published scores, which are not
changed) and records it on the appeal with the published score it replaces; the applicant is emailed the outcome
once and reads it on the appeal's page. A re-read score that reaches the round's minimum fundable score makes the
application eligible for the funding plan from the money left (services.fundable_by_appeal).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application
from grants.reviews.models import Assignment, Review
from grants.reviews.services import rereading
from grants.reviews.services.assignment import remove

from .models import Appeal
from .services import email_once

NOTIFY = "grants.appeals.tasks.notify_rereading"
S, R = Appeal.Status, Appeal.Remedy


def open_rereading(application: Application) -> Appeal | None:
    return (
        Appeal.objects.filter(
            application=application, status=S.UPHELD, remedy=R.NEW_READING, rereading_closed_at__isnull=True
        )
        .order_by("decided_at")
        .first()
    )


def reopened_at(application: Application) -> datetime | None:
    """Reviews' check: when an upheld appeal re-opened the application for a new reading not yet closed."""
    appeal = open_rereading(application)
    return appeal.decided_at if appeal else None


def new_readings(appeal: Appeal):
    """The assignments of the re-reading (made since the appeal was upheld), with their review."""
    return (
        rereading.new_assignments(appeal.application, appeal.decided_at)
        .select_related("reader", "review")
        .order_by("assigned_at")
    )


@transaction.atomic
def close_rereading(*, appeal: Appeal, by) -> Appeal:
    """Staff close the re-reading: the application's re-read score is computed and recorded (other applications'
    published scores stay as they are), its unfinished new assignments end, the applicant is told once."""
    authorize(by, "appeals.view_appeal", appeal)
    if not by.is_program_staff:
        raise Refusal("Only program staff close a re-reading.")
    locked = Appeal.objects.select_for_update().select_related("application__round").get(pk=appeal.pk)
    if not locked.is_new_reading:
        raise Refusal("Only an appeal upheld with a new reading has a re-reading to close.")
    if locked.rereading_closed_at is not None:
        raise Refusal("This re-reading was closed already; its score is recorded.")
    result = rereading.rescore(application=locked.application, since=locked.decided_at)
    if result is None:
        raise Refusal("No new reading is submitted yet: assign the application new readers and wait for their reviews.")
    now = timezone.now()
    for field, value in {
        "rereading_closed_at": now,
        "rereading_closed_by": by,
        "rereading_readers": result.readers,
        "rereading_final": result.final,
        "rereading_rank": result.rank,
        "rereading_ranked": result.ranked_in_round,
        "rereading_fundable": result.fundable,
        "previous_final": result.previous_final,
        "previous_rank": result.previous_rank,
    }.items():
        setattr(locked, field, value)
    locked.save()
    # A new reader who has not submitted by now is thanked and let go: the re-reading is decided.
    unfinished = rereading.new_assignments(locked.application, locked.decided_at).filter(status__in=Assignment.ACTIVE)
    for left in unfinished.exclude(review__status=Review.Status.SUBMITTED):
        remove(assignment=left, by=by, reason="The re-reading was closed before this review was submitted.")
    summary = (
        f"Re-reading closed: {result.final} from {result.readers} new reading{'s' if result.readers != 1 else ''} "
        f"(published {result.previous_final if result.previous_final is not None else 'none'}), would rank "
        f"{result.rank} of {result.ranked_in_round}; {'fundable' if result.fundable else 'not fundable'}"
    )
    record(Event.Action.STATUS_CHANGE, by=by, obj=locked, summary=summary)
    record(Event.Action.STATUS_CHANGE, by=by, obj=locked.application, summary=summary)
    later(NOTIFY, locked.pk)
    return locked


def notify_rereading(appeal_id: int) -> int:
    """Email the re-reading's outcome to the applicant, once (services.email_once)."""
    return email_once(
        appeal_id,
        sent_field="rereading_sent_at",
        ready=lambda appeal: appeal.rereading_closed_at is not None,
        template="appeals/emails/rereading.txt",
        subject=lambda appeal: f"CCPT Grants: the new reading of {appeal.application.number} is complete",
    )
