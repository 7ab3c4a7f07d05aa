"""Scheduling finalists' interviews and their requests for another slot.

Times are entered and shown in Pacific time (ccpt.lib.dates). A slot is refused when the panel has another
interview at the same time, or a panel member is in conflict with the finalist's application. The finalist's
contacts are emailed each slot once (Interview.slot_version / notified_version), through the background work.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.background.services import later
from ccpt.lib.dates import format_datetime
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.applications.models import Application
from grants.programs.models import Round

from ..models import Finalist, Interview, InterviewReview, Panel, SlotRequest
from .panels import conflicts_on
from .setup import settings_of

NOTIFY_SLOT = "grants.interviews.tasks.notify_slot"
NOTIFY_PANEL = "grants.interviews.tasks.notify_panel"
NOTIFY_ANSWER = "grants.interviews.tasks.notify_answer"


def _overlapping(panel: Panel, starts_at: datetime, minutes: int, *, exclude_pk=None):
    ends_at = starts_at + timedelta(minutes=minutes)
    # An interview lasts at most 480 minutes (the model's limit), so only those that start within that of this one
    # can overlap it: not every interview the panel ever held.
    earliest = starts_at - timedelta(minutes=480)
    others = Interview.objects.filter(panel=panel, starts_at__lt=ends_at, starts_at__gt=earliest).exclude(pk=exclude_pk)
    return [i for i in others.select_related("finalist__application") if i.ends_at > starts_at]


@transaction.atomic
def schedule(
    *, finalist: Finalist, panel: Panel, starts_at: datetime, minutes: int, place: str, video_link: str, by
) -> Interview:
    """Give the finalist an interview slot with a panel, or move it; the finalist is emailed the slot once."""
    round_ = Round.objects.select_for_update().get(pk=finalist.round_id)
    if settings_of(round_) is None:
        raise Refusal(f"{round_} has no interview stage.")
    if round_.results_published_at is not None:
        raise Refusal("The round's results are published: interviews can no longer be scheduled.")
    if panel.round_id != round_.pk:
        raise Refusal("Choose a panel of this round.", errors={"panel": "Not a panel of this round."})
    if not (place.strip() or video_link.strip()):
        raise Refusal("Give the place or the video link.", errors={"place": "Give the place or the video link."})
    if starts_at <= timezone.now():
        raise Refusal("Choose a time in the future.", errors={"starts_at": "This time has passed."})
    interview = Interview.objects.select_for_update().filter(finalist=finalist).first()
    if (
        interview is not None
        and InterviewReview.objects.filter(interview=interview, status=InterviewReview.Status.SUBMITTED).exists()
    ):
        raise Refusal("Panel members have scored this interview: it can no longer move.")
    if clash := _overlapping(panel, starts_at, minutes, exclude_pk=interview.pk if interview else None):
        other = clash[0]
        raise Refusal(
            f"{panel} interviews {other.finalist.application.number} from {format_datetime(other.starts_at)} "
            f"to {format_datetime(other.ends_at)}: choose another time or panel.",
            errors={"starts_at": "The panel is busy then."},
        )
    member_ids = panel.memberships.values_list("member_id", flat=True)
    application = Application.objects.filter(pk=finalist.application_id)
    if found := conflicts_on(applications=application, member_ids=member_ids):
        raise Refusal(
            "A member of this panel has a conflict of interest with the application: " + "; ".join(found),
            problems=found,
            errors={"panel": "A member is in conflict."},
        )
    fields = {"panel": panel, "starts_at": starts_at, "minutes": minutes, "place": place.strip(), "scheduled_by": by}
    fields["video_link"] = video_link.strip()
    if interview is None:
        interview = Interview.objects.create(finalist=finalist, **fields)
        summary = "Interview scheduled"
    else:
        for name, value in fields.items():
            setattr(interview, name, value)
        interview.slot_version = F("slot_version") + 1
        interview.save()
        interview.refresh_from_db()
        summary = "Interview moved"
        for slot_request in SlotRequest.objects.filter(interview=interview, status=SlotRequest.Status.OPEN):
            answer = f"Moved to {format_datetime(starts_at)}."
            changes = {"answer": answer, "answered_by": by, "answered_at": timezone.now()}
            workflow.transition(slot_request, SlotRequest.Status.MOVED, by=by, reason=answer, changes=changes)
    record(
        Event.Action.STATUS_CHANGE,
        by=by,
        obj=finalist.application,
        summary=f"{summary}: {format_datetime(starts_at)}, {panel}",
    )
    later(NOTIFY_SLOT, interview.pk)
    later(NOTIFY_PANEL, interview.pk)
    return interview


@transaction.atomic
def request_slot(*, interview: Interview, by, reason: str, preferred: str) -> SlotRequest:
    """The finalist asks for another slot; one open request at a time, and none once the interview has begun."""
    interview = Interview.objects.select_for_update().get(pk=interview.pk)
    if interview.starts_at <= timezone.now():
        raise Refusal("The interview has begun or taken place: it can no longer move.")
    if SlotRequest.objects.filter(interview=interview, status=SlotRequest.Status.OPEN).exists():
        raise Refusal("You have asked for another slot already; program staff will answer it.")
    reason = require_reason(reason, "Say why the slot does not suit.")
    found = SlotRequest.objects.create(interview=interview, requested_by=by, reason=reason, preferred=preferred.strip())
    record(
        Event.Action.STATUS_CHANGE,
        by=by,
        obj=interview.finalist.application,
        summary=f"Asked for another slot: {reason}",
    )
    return found


@transaction.atomic
def decline_request(*, slot_request: SlotRequest, by, answer: str) -> SlotRequest:
    """Staff keep the slot, with an answer the finalist reads (by email, once, and in the site)."""
    locked = SlotRequest.objects.select_for_update().get(pk=slot_request.pk)
    if locked.status != SlotRequest.Status.OPEN:
        raise Refusal("This request was answered already.")
    answer = require_reason(answer, "Give an answer; the finalist reads it.")
    changes = {"answer": answer, "answered_by": by, "answered_at": timezone.now()}
    workflow.transition(locked, SlotRequest.Status.DECLINED, by=by, reason=answer, changes=changes)
    later(NOTIFY_ANSWER, locked.pk)
    return locked
