"""Submitting an application (a frozen snapshot with its checksum), withdrawal, staff reopening and late
acceptance. Every status change goes through grants.workflow.transition(), so each one is recorded (who, when, why).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from ccpt.background.services import later
from ccpt.lib.dates import format_datetime
from ccpt.lib.refusal import Refusal, require_reason
from grants import workflow
from grants.programs.models import Round

from ..models import Application, Submission
from . import eligibility
from .snapshot import build_snapshot, checksum

A = Application.Status
# Staff may still take a late submission while the round is being read; not once decisions are made.
LATE_ACCEPTANCE_ROUND_STATUSES = {Round.Status.OPEN, Round.Status.CLOSED, Round.Status.IN_REVIEW}


def _moment(now: datetime | None) -> datetime:
    if now is None:
        return timezone.now()
    if timezone.is_naive(now):
        raise ValueError("`now` must be timezone-aware.")
    return now


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require(user, perm: str, application: Application, message: str) -> None:
    if not user.has_perm(perm, application):
        raise PermissionDenied(message)


def not_draft_reason(application: Application) -> str:
    """Why a submitted or withdrawn application cannot be submitted; "" for a draft."""
    if application.status == A.SUBMITTED:
        when = f" on {format_datetime(application.submitted_at)}" if application.submitted_at else ""
        return f"Application {application.number} was already submitted{when}; it was not submitted again."
    if application.status == A.WITHDRAWN:
        return f"Application {application.number} was withdrawn; it cannot be submitted."
    return ""


def _refuse_unless_draft(application: Application) -> None:
    if reason := not_draft_reason(application):
        raise Refusal(reason)


def _refuse_unless_accepting(round_: Round, now: datetime) -> None:
    if round_.is_accepting_applications(now):
        return
    if round_.status == Round.Status.OPEN and now < round_.opens_at:
        raise Refusal(f"{round_} opens for applications on {format_datetime(round_.opens_at)}.")
    if now >= round_.closes_at:
        raise Refusal(
            f"The deadline for {round_} was {format_datetime(round_.closes_at)}; the application was not submitted. "
            "Only program staff can accept a late submission."
        )
    raise Refusal(f"{round_} is not accepting applications (it is {round_.get_status_display().lower()}).")


def _refuse_unless_late(round_: Round, now: datetime) -> None:
    if round_.status not in LATE_ACCEPTANCE_ROUND_STATUSES:
        raise Refusal(
            f"{round_} is {round_.get_status_display().lower()}; a late submission can no longer be accepted."
        )
    if now < round_.closes_at:
        raise Refusal(
            f"{round_} accepts applications until {format_datetime(round_.closes_at)}; "
            "the consortium's lead agency staff submit it themselves."
        )


def submit_application(
    *, application: Application, by, now: datetime | None = None, late_reason: str = ""
) -> Submission:
    """Freeze the application into a new current Submission and mark it submitted.

    With a late_reason, program staff accept it after the deadline. Raises Refusal (with a
    message for the person) or PermissionDenied. Screening is enqueued once the transaction commits.
    """
    now = _moment(now)
    late_reason = (late_reason or "").strip()
    with transaction.atomic():
        locked = _lock(application)
        _refuse_unless_draft(locked)
        if late_reason:
            _require(
                by, "applications.accept_late_submission", locked, "Only program staff can accept a late submission."
            )
            _refuse_unless_late(locked.round, now)
        else:
            _require(
                by, "applications.submit_application", locked, "Only the consortium's lead agency staff can submit it."
            )
            _refuse_unless_accepting(locked.round, now)
        if problems := eligibility.submission_problems(locked):
            raise Refusal("The application is not ready to submit. Fix what is listed first.", problems=problems)

        data = build_snapshot(locked, submitted_at=now)
        Submission.objects.filter(application=locked, is_current=True).update(is_current=False)
        workflow.transition(
            application,
            A.SUBMITTED,
            by=by,
            reason=late_reason,
            changes={"submitted_at": now},
            name="accept_late" if late_reason else "submit",
        )
        submission = Submission.objects.create(
            application=locked,
            submitted_at=now,
            submitted_by=by,
            data=data,
            checksum=checksum(data),
            late_reason=late_reason,
        )
        later("grants.applications.tasks.screen_submission", submission.pk)
    return submission


def accept_late_submission(*, application: Application, by, reason: str, now: datetime | None = None) -> Submission:
    require_reason(reason, "Give the reason for accepting this submission after the deadline.")
    return submit_application(application=application, by=by, now=now, late_reason=reason)


def withdraw_application(*, application: Application, by, reason: str = "", now: datetime | None = None):
    """The lead agency takes its application out of the competition, before applications close."""
    now = _moment(now)
    with transaction.atomic():
        locked = _lock(application)
        if locked.status == A.WITHDRAWN:
            raise Refusal(f"Application {locked.number} was already withdrawn.")
        _require(
            by, "applications.withdraw_application", locked, "Only the consortium's lead agency staff can withdraw it."
        )
        if now >= locked.round.closes_at:
            raise Refusal(
                f"Applications for {locked.round} closed on {format_datetime(locked.round.closes_at)}; an application "
                "cannot be withdrawn after the deadline. Write to program staff instead."
            )
        return workflow.transition(application, A.WITHDRAWN, by=by, reason=reason)


def reopen_application(*, application: Application, by, reason: str):
    """Staff send a submitted application back to draft; the consortium must submit it again."""
    with transaction.atomic():
        locked = _lock(application)
        _require(by, "applications.reopen_application", locked, "Only program staff can reopen an application.")
        if locked.status != A.SUBMITTED:
            raise Refusal(
                f"Only a submitted application can be reopened; {locked.number} is "
                f"{locked.get_status_display().lower()}."
            )
        reason = require_reason(reason, "Give the reason for reopening; it is kept in the record.")
        return workflow.transition(application, A.DRAFT, by=by, reason=reason, changes={"submitted_at": None})
