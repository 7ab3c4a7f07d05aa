"""What the benchmark scripts in bench/ share: a PostgreSQL database of their own, Django set up and migrated on
it, the fixtures most of them build (a program and round, lead agencies and their consortia, a pool of readers,
a program staff account) and the timing helpers behind their figures.

Each script imports this module before Django is set up, so the Django and project imports are inside the
functions. Importing it puts the project's root on sys.path (the scripts run as `python bench/<script>.py`).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

if TYPE_CHECKING:
    from consortia.models import Consortium, Organization, Region, User
    from grants.applications.models import Application
    from grants.programs.models import FundingCategory, Program, Round

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROGRAM = "California Career Pathways Trust"
STAFF_EMAIL = "bench-staff@example.org"
# Round 1 of the Trust's categories; the scripts add the number of grants planned in each.
CATEGORIES = [("Up to $15,000,000", "15000000"), ("Up to $6,000,000", "6000000"), ("Up to $600,000", "600000")]


def arguments(doc: str, fresh: bool = True) -> argparse.ArgumentParser:
    """A script's argument parser: its docstring's first line as description and, with `fresh`, --fresh."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    if fresh:
        parser.add_argument("--fresh", action="store_true", help="drop and rebuild the benchmark database")
    return parser


def database_url(default_name: str, fresh: bool) -> str:
    """The URL of the benchmark's own database, BENCH_DATABASE_NAME (or `default_name`) on the server that
    DATABASE_URL names, created if it is missing; with `fresh`, dropped first (closing any connection to it)."""
    import psycopg
    from psycopg import sql

    name = os.environ.get("BENCH_DATABASE_NAME", default_name)
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccpt"))
    if not parts.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/anything")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as connection:
        if fresh:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def setup_django(default_name: str, fresh: bool, broker: str = "", client: bool = False) -> str:
    """Points Django at the benchmark's database (see database_url), sets it up and migrates the database;
    returns the database's URL. Mail stays in memory; with no `broker`, Celery tasks run in-process; `client`
    lets django.test.Client's host (testserver) in."""
    url = database_url(default_name, fresh)
    os.environ.update(DATABASE_URL=url, CELERY_BROKER_URL=broker, EMAIL_URL="memorymail://")
    if client:
        os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ccpt.settings"

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # WhiteNoise: collectstatic is not needed here
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if client:  # pages are timed in this process: start it as the site starts a web process (ccpt/wsgi.py)
        from ccpt.startup import settle

        settle()
    return url


def analyze(vacuum: bool = False) -> None:
    """Fresh planner statistics after the bulk inserts, as autovacuum keeps them on a live database; with
    `vacuum`, also no dead rows left by earlier runs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def existing_round(code: str, size: int, count: Callable[[Round], int] | None = None) -> Round | None:
    """The round `code` if an earlier run built it whole (`count` of it, by default its submitted applications,
    is `size`), None if there is none; exits if there is one only partly built."""
    from grants.programs.models import Round

    existing = Round.objects.filter(code=code).first()
    if existing and (count(existing) if count else existing.applications.submitted().count()) == size:
        return existing
    if existing:
        sys.exit("The benchmark database holds partial data: run again with --fresh.")
    return None


def program(appropriation: Decimal | None = None) -> Program:
    """The program of every benchmark round; when it is new and `appropriation` is given, with that amount
    appropriated (AB 86, 2013-14)."""
    from grants.programs.models import Appropriation, Program

    program, created = Program.objects.get_or_create(name=PROGRAM)
    if created and appropriation is not None:
        Appropriation.objects.create(program=program, amount=appropriation, source="AB 86", fiscal_years="2013-14")
    return program


def make_round(
    code: str,
    name: str,
    *,
    now: datetime,
    status: str | None = None,
    funds_available: Decimal = Decimal("250000000.00"),
    appropriation: Decimal | None = None,
    opened_days_ago: int = 60,
    closed_days_ago: int = 1,
    **fields: Any,
) -> Round:
    """A round of the program (see program()) for grants starting in 2026, in `status` (by default in review),
    closed `closed_days_ago` days before `now`; `fields` are the Round's others (readers_per_application, ...)."""
    from grants.programs.models import Round

    return Round.objects.create(
        program=program(appropriation),
        name=name,
        code=code,
        status=status or Round.Status.IN_REVIEW,
        funds_available=funds_available,
        opens_at=now - timedelta(days=opened_days_ago),
        closes_at=now - timedelta(days=closed_days_ago),
        grant_start_year=2026,
        **fields,
    )


def funding_categories(round_: Round, categories: Sequence[tuple[str, str, int]]) -> list[FundingCategory]:
    """The round's funding categories from (name, maximum award, planned grants), positioned in that order."""
    from grants.programs.models import FundingCategory

    return [
        FundingCategory.objects.create(
            round=round_, name=name, maximum_award=Decimal(maximum), planned_grants=planned, position=i
        )
        for i, (name, maximum, planned) in enumerate(categories)
    ]


def make_consortia(
    size: int,
    organization_name: str,
    consortium_name: str,
    per_consortium: int = 1,
    regions: list[Region] | None = None,
    memberships: bool = False,
) -> tuple[list[Organization], list[Consortium]]:
    """`size` consortia, each of `per_consortium` school districts in the first county, the first of them its
    lead agency, spread over `regions` (by default all eight) in turn; with `memberships`, the districts are its
    K-12 members. The names are formats of {i}. Bulk inserts; returns (the organizations, the consortia)."""
    from consortia.models import Consortium, County, Membership, Organization, Region

    county, regions = County.objects.first(), regions or list(Region.objects.all())
    organizations = Organization.objects.bulk_create(
        Organization(name=organization_name.format(i=i), kind=Organization.Kind.SCHOOL_DISTRICT, county=county)
        for i in range(size * per_consortium)
    )
    groups = Consortium.objects.bulk_create(
        Consortium(
            name=consortium_name.format(i=i),
            lead_agency=organizations[per_consortium * i],
            region=regions[i % len(regions)],
        )
        for i in range(size)
    )
    if memberships:
        Membership.objects.bulk_create(
            Membership(consortium=c, organization=organizations[per_consortium * i + k], role=Membership.Role.K12)
            for i, c in enumerate(groups)
            for k in range(per_consortium)
        )
    return organizations, groups


def submitted_application(
    round_: Round,
    consortium: Consortium,
    category: FundingCategory,
    number: str,
    title: str,
    created_by: User,
    submitted_at: datetime,
    **fields: Any,
) -> Application:
    """An unsaved submitted application (for bulk_create); `fields` are its others (requested_amount, ...)."""
    from grants.applications.models import Application

    return Application(
        round=round_,
        consortium=consortium,
        category=category,
        number=number,
        status=Application.Status.SUBMITTED,
        title=title,
        created_by=created_by,
        submitted_at=submitted_at,
        **fields,
    )


def reader_pool(size: int) -> list[User]:
    """The benchmark's readers (bench-reader<i>@example.org, in the reader group): those already there, else
    `size` new ones."""
    from django.contrib.auth.models import Group

    from consortia.models import User
    from consortia.roles import Role

    existing = list(User.objects.filter(email__startswith="bench-reader").order_by("pk"))
    if existing:
        return existing
    people = User.objects.bulk_create(
        User(email=f"bench-reader{i}@example.org", first_name="Reader", last_name=str(i), password="!")
        for i in range(size)
    )
    group = Group.objects.get(name=Role.READER)
    User.groups.through.objects.bulk_create(User.groups.through(user=r, group=group) for r in people)
    return people


def declared_conflicts(
    rng: random.Random, readers: list[User], consortia: list[Consortium], count: int, recorded_by: User
) -> None:
    """Conflicts declared with `count` of the consortia, drawn at random, each by a reader drawn at random."""
    from grants.reviews.models import Conflict

    Conflict.objects.bulk_create(
        Conflict(
            reader=rng.choice(readers),
            consortium=c,
            source=Conflict.Source.DECLARED,
            reason="Declared for the benchmark",
            recorded_by=recorded_by,
        )
        for c in rng.sample(consortia, count)
    )


def staff_account(**defaults: Any) -> User:
    """The benchmark's program staff account (bench-staff@example.org), created with `defaults` if new."""
    from django.contrib.auth.models import Group

    from consortia.models import User
    from consortia.roles import Role

    staff, _ = User.objects.get_or_create(email=STAFF_EMAIL, defaults=defaults)
    staff.groups.add(Group.objects.get(name=Role.PROGRAM_STAFF))
    return staff


def timed(
    function: Callable[[], object],
    runs: int,
    *,
    before: Callable[[], object] | None = None,
    cpu: list[float] | None = None,
) -> list[float]:
    """Wall-clock seconds of each of `runs` calls of `function`, after an untimed `before()` if given; with
    `cpu`, also this process's CPU seconds of each call (the database server's are not in it). On a busy machine
    the wall clock includes waiting for a CPU, which the CPU time leaves out."""
    timings = []
    for _ in range(runs):
        if before:
            before()
        started, cpu_started = time.perf_counter(), time.process_time()
        function()
        timings.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - cpu_started)
    return timings


def percentile(values: list[float], share: float) -> float:
    """The value at `share` (0.95 for the 95th percentile) of the sorted values: nearest rank, no interpolation."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def median_p95_ms(values: list[float]) -> tuple[float, float]:
    """The median and 95th percentile (see percentile) of timings in seconds, in milliseconds."""
    return statistics.median(values) * 1000, percentile(values, 0.95) * 1000


def load_average() -> str:
    """The machine's one-minute load average and CPU count, printed beside figures a busy machine would skew."""
    return f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"


def check(response: Any) -> None:
    """A page request's response must be 200 OK."""
    assert response.status_code == 200, response.status_code


def stop_process(process) -> None:
    """Ask a child process (a server, a worker) to stop; kill it if it has not within 30 s."""
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
