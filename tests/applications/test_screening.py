"""Screening a submission: every rule recorded, passed or failed, idempotent, stale ones left alone."""

from decimal import Decimal

import pytest
from django.core import mail

from grants.applications.models import Application, ScreeningCheck, Submission
from grants.applications.services import eligibility
from grants.applications.services.screening import StaleSubmission, screen
from grants.applications.tasks import screen_submission
from grants.models import StatusChange
from tests.factories import (
    FundingCategoryFactory,
    RequiredAttachmentFactory,
    RoundFactory,
    ScreeningCheckFactory,
    SubmissionFactory,
    SubmittedApplicationFactory,
)

pytestmark = pytest.mark.django_db


def test_it_records_every_check_of_the_round_once():
    submission = SubmissionFactory()

    screen(submission_id=submission.pk)

    expected = eligibility.all_checks(submission.application)
    recorded = list(submission.checks.order_by("pk"))
    assert [(c.key, c.label, c.passed, c.detail) for c in recorded] == [
        (c.key, c.label, c.passed, c.detail) for c in expected
    ]
    assert {c.key for c in recorded} == {"complete", "lead_agency", "composition", "category_maximum", "attachments"}


def test_a_complete_eligible_application_passes():
    submission = SubmissionFactory()

    screened = screen(submission_id=submission.pk)

    submission.refresh_from_db()
    assert screened.screening == submission.screening == Submission.Screening.PASSED
    assert submission.screened_at is not None
    assert all(check.passed for check in submission.checks.all())


def test_an_incomplete_application_fails_on_the_completeness_check():
    submission = SubmissionFactory(application__complete=False)

    screen(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.screening == Submission.Screening.FAILED
    complete = submission.checks.get(key="complete")
    assert not complete.passed
    assert complete.detail == "Incomplete: Programs of study, Partners"
    assert submission.checks.filter(passed=False).count() == 1


def test_a_request_above_the_category_maximum_fails():
    round_ = RoundFactory()
    category = FundingCategoryFactory(round=round_, name="Small", maximum_award=Decimal("600000.00"))
    application = SubmittedApplicationFactory(round=round_, category=category, requested_amount=Decimal("600000.01"))
    submission = SubmissionFactory(application=application)

    screen(submission_id=submission.pk)

    check = submission.checks.get(key="category_maximum")
    assert not check.passed
    assert check.detail == "Requested $600,000.01; the Small maximum is $600,000.00."
    assert Submission.objects.get(pk=submission.pk).screening == Submission.Screening.FAILED


def test_a_rule_added_to_the_round_is_checked():
    submission = SubmissionFactory()
    RequiredAttachmentFactory(round=submission.application.round, name="Budget workbook")

    screen(submission_id=submission.pk)

    attachments = submission.checks.get(key="attachments")
    assert not attachments.passed
    assert attachments.detail == "Missing: Budget workbook"


def test_running_it_twice_changes_nothing_and_sends_one_receipt():
    submission = SubmissionFactory(application__complete=False)

    screen(submission_id=submission.pk)
    first_checks = list(ScreeningCheck.objects.order_by("pk").values())
    first_submission = Submission.objects.values().get(pk=submission.pk)
    screen(submission_id=submission.pk)

    assert list(ScreeningCheck.objects.order_by("pk").values()) == first_checks
    assert Submission.objects.values().get(pk=submission.pk) == first_submission
    assert len(mail.outbox) == 1
    assert StatusChange.objects.filter(object_id=submission.pk, to_status="failed").count() == 1


def test_screening_again_updates_a_check_in_place_and_keeps_a_staff_override(staff_user):
    submission = SubmissionFactory(application__complete=False)
    screen(submission_id=submission.pk)
    complete = submission.checks.get(key="complete")
    complete.overridden_by, complete.override_reason = staff_user, "Partner chart sent on paper."
    complete.overridden_at = complete.checked_at
    complete.save()
    application = submission.application
    application.requested_amount = Decimal("5000000.00")
    application.save()

    screen(submission_id=submission.pk)

    complete.refresh_from_db()
    assert complete.overridden_by == staff_user
    assert complete.override_reason == "Partner chart sent on paper."
    maximum = submission.checks.get(key="category_maximum")
    assert not maximum.passed
    assert submission.checks.count() == 5
    assert Submission.objects.get(pk=submission.pk).screening == Submission.Screening.FAILED


def test_a_check_the_round_no_longer_has_is_removed_unless_overridden(staff_user):
    submission = SubmissionFactory()
    ScreeningCheckFactory(submission=submission, key="match", passed=False)
    kept = ScreeningCheckFactory(
        submission=submission, key="old_rule", passed=False, overridden_by=staff_user, override_reason="Waived."
    )
    ScreeningCheck.objects.filter(pk=kept.pk).update(overridden_at=kept.checked_at)

    screen(submission_id=submission.pk)

    assert not submission.checks.filter(key="match").exists()
    assert submission.checks.filter(key="old_rule").exists()
    assert Submission.objects.get(pk=submission.pk).screening == Submission.Screening.PASSED


def test_a_superseded_submission_is_left_alone():
    old = SubmissionFactory(is_current=False)
    SubmissionFactory(application=old.application)

    with pytest.raises(StaleSubmission, match="not the current submission"):
        screen(submission_id=old.pk)

    old.refresh_from_db()
    assert old.screening == Submission.Screening.PENDING
    assert old.screened_at is None and old.receipt_sent_at is None
    assert not old.checks.exists()
    assert mail.outbox == []


def test_a_withdrawn_application_is_not_screened_and_the_task_says_so():
    submission = SubmissionFactory(application__status=Application.Status.WITHDRAWN)

    assert screen_submission(submission.pk) == "stale"

    submission.refresh_from_db()
    assert submission.screening == Submission.Screening.PENDING
    assert not submission.checks.exists()
    assert mail.outbox == []


def test_a_deleted_submission_is_reported_stale():
    assert screen_submission(987654) == "stale"


def test_the_task_returns_the_screening_result():
    passing = SubmissionFactory()
    failing = SubmissionFactory(application__complete=False)

    assert screen_submission(passing.pk) == "passed"
    assert screen_submission(failing.pk) == "failed"


def test_a_failed_send_undoes_the_run_so_that_the_retry_sends(monkeypatch):
    submission = SubmissionFactory()

    def refuse(**kwargs):
        raise OSError("mail server unreachable")

    monkeypatch.setattr("grants.applications.services.screening.send_mail", refuse)
    with pytest.raises(OSError):
        screen(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.receipt_sent_at is None
    assert submission.screening == Submission.Screening.PENDING
    assert not submission.checks.exists()

    monkeypatch.undo()
    screen(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.receipt_sent_at is not None
    assert len(mail.outbox) == 1
