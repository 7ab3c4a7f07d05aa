"""Screening: re-check a submission against its round's rules, send the receipt, let staff override.

The rules themselves live in eligibility.py, shared with the progress page and the submit button,
so that screening can never disagree with what the applicant was told when they submitted.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from ccpt.lib.dates import PACIFIC
from ccpt.lib.refusal import Refusal
from grants.models import StatusChange

from ..models import Application, ScreeningCheck, Submission
from . import eligibility

logger = logging.getLogger(__name__)


class StaleSubmission(Exception):
    """The submission is no longer the one to screen: superseded, withdrawn, reopened or deleted."""


def _locked_current(submission_id: int) -> Submission:
    """Lock the submission row (concurrent runs and overrides serialize on it) and make sure it is live."""
    submission = Submission.objects.select_for_update().filter(pk=submission_id).first()
    if submission is None:
        raise StaleSubmission(f"Submission {submission_id} no longer exists; nothing to screen.")
    application = Application.objects.select_related(
        "round", "category", "consortium__lead_agency", "consortium__region"
    ).get(pk=submission.application_id)
    submission.application = application
    if not submission.is_current or application.status != Application.Status.SUBMITTED:
        raise StaleSubmission(
            f"Submission {submission_id} of {application.number} is not the current submission of a submitted "
            f"application (the application is {application.get_status_display().lower()}); left alone."
        )
    return submission


def _result(checks) -> str:
    satisfied = all(check.is_satisfied for check in checks)
    return Submission.Screening.PASSED if satisfied else Submission.Screening.FAILED


def _record_checks(submission: Submission) -> list[ScreeningCheck]:
    """Write each rule's outcome, touching only rows whose outcome changed; staff overrides are kept."""
    existing = {check.key: check for check in submission.checks.all()}
    recorded = []
    for outcome in eligibility.all_checks(submission.application):
        check = existing.pop(outcome.key, None)
        if check is None:
            check = ScreeningCheck.objects.create(
                submission=submission,
                key=outcome.key,
                label=outcome.label,
                passed=outcome.passed,
                detail=outcome.detail,
            )
        elif (check.label, check.passed, check.detail) != (outcome.label, outcome.passed, outcome.detail):
            check.label, check.passed, check.detail = outcome.label, outcome.passed, outcome.detail
            check.save(update_fields=["label", "passed", "detail", "checked_at"])
        recorded.append(check)
    for obsolete in existing.values():
        # A rule the round no longer has. An overridden one stays: it is part of the record.
        if obsolete.overridden_at is None:
            obsolete.delete()
        else:
            recorded.append(obsolete)
    return recorded


def _send_receipt(submission: Submission) -> bool:
    """Claim the receipt, then send it; a failed send rolls the claim back so that a retry sends."""
    claimed = Submission.objects.filter(pk=submission.pk, receipt_sent_at__isnull=True).update(
        receipt_sent_at=timezone.now()
    )
    if not claimed:
        return False
    application = submission.application
    contacts = application.consortium.contacts.filter(user__is_active=True).values_list("user__email", flat=True)
    recipients = sorted({email.lower() for email in contacts} | {submission.submitted_by.email.lower()})
    context = {
        "application": application,
        "submission": submission,
        "submitted_at": timezone.localtime(submission.submitted_at, PACIFIC),
        # The frozen snapshot, the very text the checksum identifies (not the live application).
        "link": settings.SITE_URL + reverse("applications:submission", args=[application.pk]),
    }
    send_mail(
        subject=f"Receipt: application {application.number} submitted to {application.round}",
        message=render_to_string("applications/emails/submission_receipt.txt", context),
        from_email=None,
        recipient_list=recipients,
    )
    return True


@transaction.atomic
def screen(*, submission_id: int) -> Submission:
    """Re-check the current submission of a submitted application and send its receipt once.

    Running it again changes nothing unless the rules' outcome changed. Raises StaleSubmission,
    changing nothing, when the submission is no longer the one to screen.
    """
    submission = _locked_current(submission_id)
    checks = _record_checks(submission)
    result = _result(checks)
    if submission.screening != result or submission.screened_at is None:
        if submission.screening != result:
            StatusChange.objects.create(
                subject=submission,
                from_status=submission.screening,
                to_status=result,
                reason="Screened against the round's rules.",
            )
        submission.screening = result
        submission.screened_at = timezone.now()
        submission.save(update_fields=["screening", "screened_at"])
    _send_receipt(submission)
    submission.refresh_from_db(fields=["receipt_sent_at"])
    return submission


@transaction.atomic
def override_check(*, check: ScreeningCheck, by, reason: str) -> ScreeningCheck:
    """Staff accept a failed check anyway, saying why; the submission's result is worked out again.

    Raises Refusal with a message for the person when the override cannot be made.
    """
    message = "Give a reason for the override; it is kept in the record."
    if not (reason or "").strip():
        raise Refusal(message, errors={"reason": message})
    reason = reason.strip()
    try:
        submission = _locked_current(check.submission_id)
    except StaleSubmission as stale:
        raise Refusal("This submission is no longer current; screen the current one instead.") from stale
    check = ScreeningCheck.objects.get(pk=check.pk)
    if check.passed:
        raise Refusal("This check passed; there is nothing to override.")
    if check.overridden_at is not None:
        raise Refusal("This check was already overridden.")
    check.overridden_by = by
    check.overridden_at = timezone.now()
    check.override_reason = reason
    check.save(update_fields=["overridden_by", "overridden_at", "override_reason"])

    result = _result(submission.checks.all())
    if result != submission.screening:
        StatusChange.objects.create(
            subject=submission, from_status=submission.screening, to_status=result, by=by, reason=reason
        )
        submission.screening = result
        submission.save(update_fields=["screening"])
    return check
