"""Submitting an application: who may, when, what it records, and what it refuses."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from ccpt.background.models import Job
from ccpt.lib.refusal import Refusal
from grants.applications.models import Application, Submission
from grants.applications.services import submission as service
from grants.models import StatusChange
from tests.factories import ContactFactory, UserFactory, lead_of, submittable_application

pytestmark = pytest.mark.django_db


def test_it_submits_a_complete_eligible_draft():
    application = submittable_application()
    lead = lead_of(application)
    now = timezone.now()

    submission = service.submit_application(application=application, by=lead, now=now)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at == now
    assert submission.is_current
    assert submission.submitted_by == lead
    assert submission.submitted_at == now
    assert submission.late_reason == ""
    assert submission.screening == Submission.Screening.PENDING
    change = StatusChange.objects.get(object_id=application.pk, to_status="submitted")
    assert (change.from_status, change.by) == ("draft", lead)


def test_it_submits_one_second_before_the_deadline():
    application = submittable_application()
    closes = application.round.closes_at

    service.submit_application(application=application, by=lead_of(application), now=closes - timedelta(seconds=1))

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1)])
def test_it_refuses_submission_at_or_after_the_deadline(after):
    application = submittable_application()
    closes = application.round.closes_at

    with pytest.raises(Refusal) as refused:
        service.submit_application(application=application, by=lead_of(application), now=closes + after)

    assert "The deadline for" in str(refused.value)
    assert "was not submitted" in str(refused.value)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert not Submission.objects.exists()
    assert not StatusChange.objects.filter(object_id=application.pk).exists()


def test_it_refuses_submission_before_the_round_opens():
    application = submittable_application()

    with pytest.raises(Refusal, match="opens for applications on"):
        service.submit_application(
            application=application, by=lead_of(application), now=application.round.opens_at - timedelta(seconds=1)
        )


def test_it_refuses_submission_when_the_round_was_closed_early():
    application = submittable_application()
    application.round.__class__.objects.filter(pk=application.round_id).update(status="closed")

    with pytest.raises(Refusal, match="is not accepting applications"):
        service.submit_application(application=application, by=lead_of(application))


def test_it_refuses_an_incomplete_application_and_lists_what_is_missing():
    application = submittable_application()
    Application.objects.filter(pk=application.pk).update(summary="")
    application.attachments.all().delete()

    with pytest.raises(Refusal) as refused:
        service.submit_application(application=application, by=lead_of(application))

    problems = " ".join(refused.value.problems)
    assert "Every section is complete" in problems
    assert "Overall summary" in problems
    assert "Consortium agreement (signed)" in problems
    assert not Submission.objects.exists()


def test_it_refuses_a_partner_contact():
    application = submittable_application()
    partner = ContactFactory(consortium=application.consortium, role="partner").user

    with pytest.raises(PermissionDenied, match="lead agency staff"):
        service.submit_application(application=application, by=partner)
    assert not Submission.objects.exists()


def test_it_refuses_program_staff_without_a_late_reason(staff_user):
    application = submittable_application()

    with pytest.raises(PermissionDenied):
        service.submit_application(application=application, by=staff_user)


def test_it_refuses_someone_from_another_consortium():
    application = submittable_application()
    stranger = ContactFactory().user

    with pytest.raises(PermissionDenied):
        service.submit_application(application=application, by=stranger)


def test_it_wants_an_aware_time():
    application = submittable_application()

    with pytest.raises(ValueError, match="timezone-aware"):
        service.submit_application(
            application=application, by=lead_of(application), now=timezone.now().replace(tzinfo=None)
        )


def test_a_second_submit_says_it_was_already_submitted_and_changes_nothing():
    application = submittable_application()
    lead = lead_of(application)
    stale = Application.objects.get(pk=application.pk)  # the second tab loaded before the first submitted
    first = service.submit_application(application=application, by=lead)

    with pytest.raises(Refusal, match="was already submitted on .* it was not submitted again"):
        service.submit_application(application=stale, by=lead)

    assert list(Submission.objects.all()) == [first]
    assert StatusChange.objects.filter(object_id=application.pk, to_status="submitted").count() == 1


def test_it_refuses_a_withdrawn_application(withdrawn):
    with pytest.raises(Refusal, match="was withdrawn"):
        service.submit_application(application=withdrawn, by=lead_of(withdrawn))


def test_it_records_the_screening_with_the_submission_and_runs_it_once_committed(django_capture_on_commit_callbacks):
    application = submittable_application()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submission = service.submit_application(application=application, by=lead_of(application))
    job = Job.objects.get()
    assert (job.task, job.args, job.state) == (
        "grants.applications.tasks.screen_submission",
        [submission.pk],
        "pending",
    )
    submission.refresh_from_db()
    assert submission.screened_at is None  # nothing runs before commit
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    submission.refresh_from_db()
    assert job.state == "done" and job.attempts == 1
    assert submission.screening == Submission.Screening.PASSED and submission.receipt_sent_at is not None


def test_a_submission_that_rolls_back_leaves_no_screening_behind():
    application = submittable_application()

    with pytest.raises(RuntimeError), transaction.atomic():
        service.submit_application(application=application, by=lead_of(application))
        raise RuntimeError("the request failed after the submission")

    assert not Job.objects.exists()
    assert not Submission.objects.exists()


def test_submitting_again_after_reopening_makes_a_new_current_submission(staff_user):
    application = submittable_application()
    lead = lead_of(application)
    first = service.submit_application(application=application, by=lead)
    service.reopen_application(application=application, by=staff_user, reason="Budget page 3 is missing.")

    second = service.submit_application(application=application, by=lead)

    first.refresh_from_db()
    assert not first.is_current
    assert second.is_current
    assert Submission.objects.filter(application=application, is_current=True).get() == second


def test_the_submit_page_is_forbidden_to_someone_outside_the_consortium(client):
    application = submittable_application()
    client.force_login(UserFactory(role="Applicants"))

    assert client.get(reverse("applications:application-submit", args=[application.pk])).status_code == 403
    assert (
        client.post(reverse("applications:application-submit", args=[application.pk]), {"confirm": "on"}).status_code
        == 403
    )
    assert not Submission.objects.exists()
