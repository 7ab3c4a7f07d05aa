"""Background work that is never lost: record it with the change that causes it, send it after commit, claim it
to run it, and sweep up whatever was not sent, was lost, or whose worker died.

    later("grants.applications.tasks.screen_submission", submission.pk)   # inside the service's transaction

A job's function must be idempotent: the sweeper may hand the same job to a worker again, and a job whose worker
died mid-way runs again from the start.
"""

import hashlib
import json
import logging
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .jobs import handler, promise_of
from .models import Job

logger = logging.getLogger(__name__)

RUN_JOB = "ccpt.background.tasks.run_job"
S = Job.State

_local = threading.local()  # ids of jobs recorded in this thread's open transaction, sent when it commits
# The promises of the work that could not be handed over during the current request (read by the middleware).
_deferred: ContextVar[list[str] | None] = ContextVar("background_deferred", default=None)


def later(task: str, *args) -> None:
    """Record that `task(*args)` must run once the current transaction commits, and send it then.

    A job declared with `coalesce=True` is not recorded again while one with the same arguments is waiting: that
    one has not started, so it will see this change too.
    """
    policy = handler(task).background
    signature = _signature(task, args) if policy.coalesce else None
    if signature and Job.objects.filter(signature=signature, state=S.PENDING).exists():
        return
    try:
        with transaction.atomic():  # a savepoint: a concurrent twin may win the unique index
            job = Job.objects.create(task=task, args=list(args), signature=signature, dispatched_at=timezone.now())
    except IntegrityError:
        return
    _send_after_commit([job.pk])


def later_each(task: str, args_list) -> int:
    """`later(task, *args)` for many argument lists at once, in one insert (a round's notices)."""
    handler(task)
    now = timezone.now()
    jobs = Job.objects.bulk_create([Job(task=task, args=list(args), dispatched_at=now) for args in args_list])
    _send_after_commit([job.pk for job in jobs])
    return len(jobs)


def _signature(task: str, args) -> str:
    return hashlib.sha256(f"{task}:{json.dumps(list(args), default=str)}".encode()).hexdigest()


def _send_after_commit(ids: list[int]) -> None:
    if not hasattr(_local, "unsent"):
        _local.unsent = []
    _local.unsent.extend(ids)
    # One callback per call, each sending everything unsent: a callback dropped with a rolled-back savepoint
    # leaves the others to send what remains (ids of rolled-back jobs find no job and do nothing).
    transaction.on_commit(_send_unsent)


def _send_unsent() -> None:
    ids, _local.unsent = getattr(_local, "unsent", []), []
    if ids:
        dispatch(ids)


def dispatch(ids: list[int]) -> int:
    """Hand jobs to the workers; returns how many were handed over. Never raises: when the broker cannot be
    reached the rest wait for the sweeper, and the current request is told what is delayed."""
    run_job = import_string(RUN_JOB)
    app = run_job.app

    handed = 0
    try:
        with app.connection_for_write() as connection:
            for job_id in ids:
                result = run_job.apply_async((job_id,), connection=connection, retry_policy=PUBLISH_RETRY)
                handed += 1
                if app.conf.task_always_eager and result.result not in (S.DONE, "skipped"):
                    _defer([job_id])  # ran in this request and failed: it is retried later
    except Exception:  # noqa: BLE001 - any broker failure: the job stays recorded, the sweeper sends it
        logger.warning("Could not hand %s background job(s) to the broker; the sweeper will", len(ids) - handed)
        Job.objects.filter(pk__in=ids[handed:], state=S.PENDING).update(dispatched_at=None)
        _defer(ids[handed:])
    return handed


# A broker that does not answer is given about half a second, not kombu's default of several: the request waits.
PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.3}


def _defer(ids: list[int]) -> None:
    promises = _deferred.get()
    if promises is None:
        return
    for task in Job.objects.filter(pk__in=ids).values_list("task", flat=True).distinct():
        if (promise := promise_of(task)) and promise not in promises:
            promises.append(promise)


def collect_deferred():
    """Start collecting, for one request, the promises of work that could not be handed over."""
    return _deferred.set([])


def deferred_promises() -> list[str]:
    return list(_deferred.get() or [])


def take_deferred() -> list[str]:
    """The promises of delayed work, for a view that tells them in its own words (the middleware then does not)."""
    promises = _deferred.get()
    if promises is None:
        return []
    taken = list(promises)
    promises.clear()
    return taken


def stop_collecting(token) -> None:
    _deferred.reset(token)


# Running


def run(job_id: int) -> str:
    """Claim the job and do its work; the job's state afterwards ("skipped" when another run has it or it is
    done). Never raises for the work's own errors: they are recorded and retried or shown to staff."""
    now = timezone.now()
    claimable = Q(state=S.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    claimable |= Q(state=S.RUNNING, lease_until__lt=now)
    claimed = Job.objects.filter(claimable, pk=job_id).update(
        state=S.RUNNING, attempts=F("attempts") + 1, started_at=now, lease_until=now + _lease()
    )
    if not claimed:
        return "skipped"
    job = Job.objects.get(pk=job_id)
    try:
        function = handler(job.task)
    except LookupError as error:
        return _finish(job, S.FAILED, str(error))
    policy = function.background
    try:
        function(*job.args)
    except policy.retry_on as error:
        if job.attempts >= policy.attempts:
            return _give_up(job, function, error)
        return _retry(job, error)
    except Exception as error:  # noqa: BLE001 - recorded for staff, not retried: it would fail the same way
        logger.exception("Background job %s failed", job)
        return _give_up(job, function, error)
    return _finish(job, S.DONE, "")


def _lease() -> timedelta:
    return timedelta(seconds=settings.CCPT_JOB_LEASE_SECONDS)


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _mine(job: Job):
    # Only the run that claimed it last may record how it ended (a run that outlived its lease may not).
    return Job.objects.filter(pk=job.pk, state=S.RUNNING, started_at=job.started_at)


def _finish(job: Job, state: str, error: str) -> str:
    _mine(job).update(state=state, finished_at=timezone.now(), lease_until=None, last_error=error)
    return state


def _retry(job: Job, error: BaseException) -> str:
    wait = min(30 * 2 ** (job.attempts - 1), 3600)
    try:
        with transaction.atomic():
            _mine(job).update(
                state=S.PENDING,
                not_before=timezone.now() + timedelta(seconds=wait),
                dispatched_at=None,
                lease_until=None,
                last_error=_error(error),
            )
    except IntegrityError:
        # A twin is already waiting (coalesced work): it does this work too.
        return _finish(job, S.DONE, f"Superseded by a newer job after {_error(error)}")
    logger.warning("Background job %s failed (attempt %s), retried in %s s: %s", job, job.attempts, wait, error)
    return S.PENDING


def _give_up(job: Job, function, error: BaseException) -> str:
    if function.background.give_up:
        function.background.give_up(*job.args, error=error)
    return _finish(job, S.FAILED, _error(error))


# Sweeping


def sweep(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Send again what was never handed over, whose message was lost, whose retry is due, or whose worker died;
    returns how many jobs the broker took. Run every few seconds by Celery beat, or by cron
    (`manage.py sweep_background_work`)."""
    now = now or timezone.now()
    resend_before = now - timedelta(seconds=settings.CCPT_JOB_RESEND_SECONDS)
    due = (
        Q(state=S.PENDING)
        & (Q(not_before__isnull=True) | Q(not_before__lte=now))
        & (Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=resend_before))
    ) | Q(state=S.RUNNING, lease_until__lt=now)
    ids = list(Job.objects.filter(due).order_by("created_at", "pk").values_list("pk", flat=True)[:limit])
    handed = 0
    if ids:
        Job.objects.filter(pk__in=ids).update(dispatched_at=now)
        handed = dispatch(ids)
    Job.objects.filter(state=S.DONE, finished_at__lt=now - timedelta(days=settings.CCPT_JOB_KEEP_DAYS)).delete()
    return handed


def retry(*, job: Job) -> Job:
    """Staff try a failed job again, from its first attempt."""
    with transaction.atomic():
        Job.objects.filter(pk=job.pk, state=S.FAILED).update(
            state=S.PENDING, attempts=0, not_before=None, finished_at=None, dispatched_at=timezone.now()
        )
        _send_after_commit([job.pk])
    job.refresh_from_db()
    return job


# Health


@dataclass(frozen=True)
class Health:
    waiting: int
    unsent: int  # waiting that the broker did not take: sent again by the sweeper once it answers
    late: int  # waiting longer than CCPT_JOB_LATE_SECONDS
    retrying: int
    running: int
    stalled: int  # running past their lease: the worker died, the sweeper sends them again
    failed: int
    oldest: datetime | None  # the oldest waiting job's creation

    @property
    def ok(self) -> bool:
        return not (self.unsent or self.late or self.stalled or self.failed)


def health(*, now: datetime | None = None) -> Health:
    """Counts of work not done, in one query."""
    now = now or timezone.now()
    late_before = now - timedelta(seconds=settings.CCPT_JOB_LATE_SECONDS)
    counts = Job.objects.exclude(state=S.DONE).aggregate(
        waiting=Count("pk", filter=Q(state=S.PENDING)),
        unsent=Count("pk", filter=Q(state=S.PENDING, dispatched_at__isnull=True, attempts=0)),
        late=Count("pk", filter=Q(state=S.PENDING, created_at__lt=late_before)),
        retrying=Count("pk", filter=Q(state=S.PENDING, attempts__gt=0)),
        running=Count("pk", filter=Q(state=S.RUNNING)),
        stalled=Count("pk", filter=Q(state=S.RUNNING, lease_until__lt=now)),
        failed=Count("pk", filter=Q(state=S.FAILED)),
        oldest=Min("created_at", filter=Q(state=S.PENDING)),
    )
    return Health(**counts)


def attention(*, now: datetime | None = None):
    """The jobs staff should look at: failed, retrying, stalled, not taken by the broker, or waiting longer than
    they should."""
    now = now or timezone.now()
    late_before = now - timedelta(seconds=settings.CCPT_JOB_LATE_SECONDS)
    return Job.objects.filter(
        Q(state=S.FAILED)
        | Q(state=S.PENDING, attempts__gt=0)
        | Q(state=S.PENDING, dispatched_at__isnull=True)
        | Q(state=S.PENDING, created_at__lt=late_before)
        | Q(state=S.RUNNING, lease_until__lt=now)
    ).order_by("created_at", "pk")
