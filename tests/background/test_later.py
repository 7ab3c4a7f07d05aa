"""Background work is recorded with the change that causes it, and sent only once that change commits."""

import pytest
from django.db import transaction

from ccpt.background.models import Job
from ccpt.background.services import later
from grants.reviews import tasks
from tests.factories import RoundFactory

pytestmark = pytest.mark.django_db

SCORE_ROUND = "grants.reviews.tasks.score_round"


def test_the_job_is_recorded_in_the_transaction_and_runs_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    scored = []
    monkeypatch.setattr(tasks.scoring, "score_round", lambda round_id: scored.append(round_id))
    round_ = RoundFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        later(SCORE_ROUND, round_.pk)
    job = Job.objects.get()
    assert (job.task, job.args, job.state, job.attempts) == (SCORE_ROUND, [round_.pk], "pending", 0)
    assert scored == []
    for callback in callbacks:
        callback()

    job.refresh_from_db()
    assert scored == [round_.pk]
    assert job.state == "done" and job.attempts == 1 and job.finished_at is not None


def test_a_change_that_rolls_back_leaves_no_work_behind():
    round_ = RoundFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        later(SCORE_ROUND, round_.pk)
        raise RuntimeError("the change failed")

    assert not Job.objects.exists()


def test_work_that_redoes_everything_waits_once_for_all_the_changes_meanwhile(django_capture_on_commit_callbacks):
    first, second = RoundFactory(), RoundFactory()

    with django_capture_on_commit_callbacks(execute=False):
        later(SCORE_ROUND, first.pk)
        later(SCORE_ROUND, first.pk)
        later(SCORE_ROUND, second.pk)

    assert sorted(Job.objects.values_list("args", flat=True)) == [[first.pk], [second.pk]]


def test_once_the_waiting_job_has_started_a_new_change_gets_a_job_of_its_own(django_capture_on_commit_callbacks):
    round_ = RoundFactory()
    with django_capture_on_commit_callbacks(execute=False):
        later(SCORE_ROUND, round_.pk)
    Job.objects.update(state=Job.State.RUNNING)

    with django_capture_on_commit_callbacks(execute=False):
        later(SCORE_ROUND, round_.pk)

    assert sorted(Job.objects.values_list("state", flat=True)) == ["pending", "running"]


def test_work_that_is_not_coalesced_is_recorded_every_time(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        later("grants.awards.tasks.send_notice", 1)
        later("grants.awards.tasks.send_notice", 1)

    assert Job.objects.count() == 2


def test_naming_work_that_does_not_exist_fails_where_it_is_named():
    with pytest.raises(LookupError, match="grants.reviews.tasks.score_everything does not exist"):
        later("grants.reviews.tasks.score_everything", 1)
    with pytest.raises(LookupError, match="is not declared with @job"):
        later("grants.reviews.services.scoring.score_round", 1)
