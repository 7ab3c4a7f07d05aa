"""The sweeper sends again whatever the workers never got, lost, or were running when they died."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from ccpt.background.models import Job
from ccpt.background.services import sweep

pytestmark = pytest.mark.django_db

SCREEN = "grants.applications.tasks.screen_submission"


@pytest.fixture
def sent(monkeypatch):
    """The ids of the jobs the sweeper handed to the broker (nothing runs)."""
    handed = []
    monkeypatch.setattr("ccpt.background.services.dispatch", lambda ids: handed.extend(ids) or len(ids))
    return handed


def job(**fields) -> Job:
    return Job.objects.create(task=SCREEN, args=[1], **fields)


def ago(**delta):
    return timezone.now() - timedelta(**delta)


def test_it_sends_work_that_never_reached_the_broker(sent):
    never = job(dispatched_at=None)

    assert sweep() == 1

    assert sent == [never.pk]
    never.refresh_from_db()
    assert never.dispatched_at is not None


def test_it_leaves_work_that_was_just_sent_to_the_workers(sent):
    job(dispatched_at=ago(seconds=10))

    assert sweep() == 0 and sent == []


def test_it_sends_again_work_the_broker_lost(sent, settings):
    lost = job(dispatched_at=ago(seconds=settings.CCPT_JOB_RESEND_SECONDS + 1))

    sweep()

    assert sent == [lost.pk]


def test_it_sends_again_work_whose_worker_died(sent):
    abandoned = job(state=Job.State.RUNNING, started_at=ago(seconds=40), lease_until=ago(seconds=10))
    job(state=Job.State.RUNNING, started_at=ago(seconds=5), lease_until=timezone.now() + timedelta(seconds=25))

    sweep()

    assert sent == [abandoned.pk]


def test_a_retry_waits_for_its_time(sent):
    job(dispatched_at=None, attempts=1, not_before=timezone.now() + timedelta(minutes=1))
    due = job(dispatched_at=None, attempts=1, not_before=ago(seconds=1))

    sweep()

    assert sent == [due.pk]


def test_failed_and_finished_work_is_not_sent_again(sent):
    job(state=Job.State.FAILED, dispatched_at=None)
    job(state=Job.State.DONE, dispatched_at=None, finished_at=ago(minutes=1))

    assert sweep() == 0


def test_finished_work_is_kept_for_a_while_then_forgotten(sent, settings):
    recent = job(state=Job.State.DONE, finished_at=ago(days=settings.CCPT_JOB_KEEP_DAYS - 1))
    job(state=Job.State.DONE, finished_at=ago(days=settings.CCPT_JOB_KEEP_DAYS + 1))
    failed = job(state=Job.State.FAILED, finished_at=ago(days=365))

    sweep()

    assert set(Job.objects.values_list("pk", flat=True)) == {recent.pk, failed.pk}


def test_the_command_for_cron_sweeps_and_says_what_is_left(sent):
    job(dispatched_at=None)
    job(state=Job.State.FAILED)
    out = StringIO()

    call_command("sweep_background_work", stdout=out)

    assert out.getvalue() == "Sent 1 job. Waiting 1 (late 0), running 0 (stalled 0), failed 1.\n"


def test_it_runs_what_it_sends(django_capture_on_commit_callbacks, monkeypatch):
    screened = []
    monkeypatch.setattr("grants.applications.tasks.screen_submission", _recording(screened))
    never = job(dispatched_at=None)

    sweep()

    never.refresh_from_db()
    assert never.state == "done" and screened == [1]


def _recording(calls):
    from ccpt.background.jobs import job as declare

    @declare()
    def screen_submission(submission_id):
        calls.append(submission_id)

    return screen_submission
