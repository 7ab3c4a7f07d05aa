"""Automatic reader assignment: 500 submitted applications, 3 readers each, among 40 readers. Target: under 2 s.

Runs against its own PostgreSQL database (ccpt_bench_assign, or BENCH_DATABASE_NAME) on the server named by
DATABASE_URL; creates and migrates it, builds the data once (kept for later runs; --fresh rebuilds it), then times
grants.services.assignment.auto_assign several times, rolling each run back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/auto_assignment.py [--runs 5]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

APPLICATIONS, POOL, READERS = 500, 40, 3
CODE = "bench-assign"


def database_urls(name: str) -> tuple[str, str]:
    """(the benchmark database's URL, the server's maintenance database URL) from DATABASE_URL."""
    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccpt"))
    if not parts.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/anything")
    return urlunsplit(parts._replace(path=f"/{name}")), urlunsplit(parts._replace(path="/postgres"))


def prepare_database(name: str, fresh: bool) -> str:
    import psycopg
    from psycopg import sql

    url, maintenance = database_urls(name)
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if fresh:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return url


def build():
    """500 consortia (lead agency and two members each) with a submitted application, 40 readers with
    affiliations and declared conflicts. Built with bulk inserts; returns the round."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Affiliation, Consortium, County, Membership, Organization, Region, User
    from consortia.roles import Role
    from grants.applications.models import Application
    from grants.programs.models import FundingCategory, Program, Round
    from grants.reviews.models import Conflict

    existing = Round.objects.filter(code=CODE).first()
    if existing and existing.applications.submitted().count() == APPLICATIONS:
        return existing
    if existing:
        sys.exit("The benchmark database holds partial data: run again with --fresh.")

    rng = random.Random(2014)
    with transaction.atomic():
        program, _ = Program.objects.get_or_create(name="California Career Pathways Trust")
        now = timezone.now()
        round_ = Round.objects.create(
            program=program,
            name="Benchmark round",
            code=CODE,
            status=Round.Status.IN_REVIEW,
            funds_available=Decimal("250000000.00"),
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
            grant_start_year=2026,
            readers_per_application=READERS,
        )
        category = FundingCategory.objects.create(
            round=round_, name="Up to $6,000,000", maximum_award=Decimal("6000000.00"), planned_grants=15
        )
        county, region = County.objects.first(), Region.objects.first()
        organizations = Organization.objects.bulk_create(
            Organization(name=f"Bench organization {i}", kind=Organization.Kind.SCHOOL_DISTRICT, county=county)
            for i in range(APPLICATIONS * 3)
        )
        consortia = Consortium.objects.bulk_create(
            Consortium(name=f"Bench consortium {i}", lead_agency=organizations[3 * i], region=region)
            for i in range(APPLICATIONS)
        )
        Membership.objects.bulk_create(
            Membership(consortium=c, organization=organizations[3 * i + k], role=Membership.Role.K12)
            for i, c in enumerate(consortia)
            for k in range(3)
        )
        applicant = User.objects.create_user(email="bench-applicant@example.org")
        Application.objects.bulk_create(
            Application(
                round=round_,
                consortium=c,
                category=category,
                number=f"BENCH-{i:04d}",
                status=Application.Status.SUBMITTED,
                title=f"Pathways {i}",
                created_by=applicant,
                submitted_at=now,
            )
            for i, c in enumerate(consortia)
        )
        readers = User.objects.bulk_create(
            User(email=f"bench-reader{i}@example.org", first_name="Reader", last_name=str(i), password="!")
            for i in range(POOL)
        )
        group = Group.objects.get(name=Role.READER)
        User.groups.through.objects.bulk_create(User.groups.through(user=r, group=group) for r in readers)
        Affiliation.objects.bulk_create(
            Affiliation(user=r, organization=org)
            for r in readers
            for org in rng.sample(organizations, rng.randint(1, 4))
        )
        Conflict.objects.bulk_create(
            Conflict(
                reader=rng.choice(readers),
                consortium=c,
                source=Conflict.Source.DECLARED,
                reason="Declared for the benchmark",
                recorded_by=applicant,
            )
            for c in rng.sample(consortia, 60)
        )
    return round_


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the benchmark database")
    args = parser.parse_args()

    name = os.environ.get("BENCH_DATABASE_NAME", "ccpt_bench_assign")
    os.environ["DATABASE_URL"] = prepare_database(name, args.fresh)
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ccpt.settings"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from consortia.models import User
    from grants.reviews.services.assignment import auto_assign

    call_command("migrate", verbosity=0)
    round_ = build()
    staff = User.objects.get(email="bench-applicant@example.org")

    timings, result = [], None
    for _ in range(args.runs):
        with transaction.atomic():
            started = time.perf_counter()
            result = auto_assign(round_=round_, by=staff)
            timings.append(time.perf_counter() - started)
            transaction.set_rollback(True)  # every run starts from no assignments

    print(f"auto_assign: {APPLICATIONS} applications x {READERS} readers among a pool of {POOL}, PostgreSQL")
    print(
        f"runs: {len(timings)}  median: {statistics.median(timings):.3f} s  max: {max(timings):.3f} s  (target < 2 s)"
    )
    print(f"assignments: {result.created}  load per reader: min {result.min_load}, max {result.max_load}")
    print(f"applications short of readers: {len(result.unfilled)}")
    for unfilled in result.unfilled[:5]:
        print(f"  {unfilled.number}: needs {unfilled.missing} more ({unfilled.reason})")


if __name__ == "__main__":
    main()
