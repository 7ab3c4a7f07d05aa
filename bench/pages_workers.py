"""How bench/pages.py's build uses the machine: phases split over forked processes, and background work run as a
Celery worker runs it.

While building, background work is recorded and handed to an in-memory broker (CELERY_BROKER_URL=memory://, which
nothing consumes) instead of running on each commit; `run_jobs` then runs every waiting job the way the worker's
task does (ccpt.background.services.run). That also makes a round's scoring, which every submitted review asks for,
run once for a whole phase: the waiting score_round job stands for every later request (it coalesces).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable


def no_disk_wait(sender, connection, **kwargs) -> None:
    """On each new database connection of the build: commits do not wait for the disk (this session only)."""
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")


def in_parallel(function: Callable, arguments: list[tuple], jobs: int) -> list:
    """function(*a) for each `a` of `arguments`, in `jobs` forked processes (in this one when jobs is 1)."""
    from django.db import connections

    if jobs <= 1:
        return [function(*a) for a in arguments]
    connections.close_all()  # each process opens its own
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        return pool.starmap(_child, [(function, a) for a in arguments])


def _child(function: Callable, arguments: tuple):
    from django.db import connections

    try:
        return function(*arguments)
    finally:
        connections.close_all()


def run_jobs(jobs: int) -> int:
    """Run every waiting background job, as the worker would; returns how many ran. Stops the build if one failed:
    the data would not be what the site makes."""
    from ccpt.background.models import Job

    ids = list(Job.objects.filter(state=Job.State.PENDING).order_by("pk").values_list("pk", flat=True))
    in_parallel(_run, [(ids[w::jobs],) for w in range(jobs)], jobs)
    failed = Job.objects.exclude(state=Job.State.DONE).values_list("task", "last_error")[:5]
    if failed:
        raise RuntimeError(f"Background jobs did not finish: {list(failed)}")
    return len(ids)


def _run(ids: list[int]) -> None:
    import pages_text

    from ccpt.background.services import run

    for n, pk in enumerate(ids, start=1):
        run(pk)
        if n % 200 == 0:
            pages_text.forget_mail()
