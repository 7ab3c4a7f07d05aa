"""A worker claims a job before doing it; errors are retried with growing waits or shown to staff."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ccpt.background.models import Job
from ccpt.background.services import run
from grants.applications import tasks as application_tasks

pytestmark = pytest.mark.django_db

SCREEN = "grants.applications.tasks.screen_submission"


def job(**fields) -> Job:
    return Job.objects.create(task=SCREEN, args=[1], **fields)


@pytest.fixture
def screenings(monkeypatch):
    """What the screening job was asked to do; it fails with `screenings.error` while that is set."""

    class Recorder(list):
        error: Exception | None = None

        def __call__(self, submission_id):
            self.append(submission_id)
            if self.error:
                raise self.error
            return SimpleNamespace(screening="passed")

    recorder = Recorder()
    monkeypatch.setattr(application_tasks.screening, "screen", lambda submission_id: recorder(submission_id))
    return recorder


def test_a_job_is_done_once_even_when_its_message_arrives_twice(screenings):
    waiting = job()

    assert run(waiting.pk) == "done"
    assert run(waiting.pk) == "skipped"

    assert screenings == [1]


def test_a_job_another_worker_is_running_is_left_to_it(screenings):
    running = job(
        state=Job.State.RUNNING, started_at=timezone.now(), lease_until=timezone.now() + timedelta(seconds=30)
    )

    assert run(running.pk) == "skipped"
    assert screenings == []


def test_a_job_whose_worker_died_is_claimed_again_once_its_lease_is_over(screenings):
    abandoned = job(
        state=Job.State.RUNNING, attempts=1, started_at=timezone.now() - timedelta(minutes=1),
        lease_until=timezone.now() - timedelta(seconds=1),
    )  # fmt: skip

    assert run(abandoned.pk) == "done"

    abandoned.refresh_from_db()
    assert screenings == [1] and abandoned.attempts == 2


def test_a_transient_error_is_retried_with_growing_waits(screenings):
    screenings.error = ConnectionRefusedError("SMTP server unreachable")
    flaky = job()

    waits = []
    for _ in range(3):
        before = timezone.now()
        assert run(flaky.pk) == "pending"
        flaky.refresh_from_db()
        waits.append(round((flaky.not_before - before).total_seconds()))
        assert flaky.dispatched_at is None  # the sweeper sends it when the wait is over
        Job.objects.filter(pk=flaky.pk).update(not_before=timezone.now())

    assert waits == [30, 60, 120]
    assert flaky.last_error == "ConnectionRefusedError: SMTP server unreachable"
    screenings.error = None
    assert run(flaky.pk) == "done"


def test_the_last_attempt_fails_it_for_staff_to_see(screenings):
    screenings.error = ConnectionRefusedError("SMTP server unreachable")
    tired = job(attempts=application_tasks.screen_submission.background.attempts - 1)

    assert run(tired.pk) == "failed"

    tired.refresh_from_db()
    assert tired.state == "failed" and tired.finished_at is not None
    assert tired.last_error == "ConnectionRefusedError: SMTP server unreachable"


def test_an_error_retrying_cannot_mend_fails_at_once(screenings):
    screenings.error = ValueError("a bug")
    broken = job()

    assert run(broken.pk) == "failed"

    broken.refresh_from_db()
    assert broken.attempts == 1 and broken.last_error == "ValueError: a bug"


def test_a_run_that_outlived_its_lease_does_not_overwrite_the_run_that_took_over(screenings, monkeypatch):
    slow = job()

    def taken_over_meanwhile(submission_id):
        Job.objects.filter(pk=slow.pk).update(started_at=timezone.now() + timedelta(seconds=5))

    monkeypatch.setattr(application_tasks.screening, "screen", taken_over_meanwhile)

    run(slow.pk)

    slow.refresh_from_db()
    assert slow.state == "running"  # the run that took over records how it ends


def test_a_job_naming_work_that_no_longer_exists_fails_with_the_reason():
    gone = Job.objects.create(task="grants.applications.tasks.renamed_long_ago", args=[1])

    assert run(gone.pk) == "failed"

    gone.refresh_from_db()
    assert gone.last_error == "grants.applications.tasks.renamed_long_ago does not exist"


def test_a_job_that_was_rolled_back_is_nothing_to_run():
    assert run(987654) == "skipped"
