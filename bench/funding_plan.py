"""Building a funding plan: a round of 2,000 ranked applications in 3 funding categories, in under 200 ms.

Runs against its own PostgreSQL database (ccpt_bench_plan, or BENCH_DATABASE_NAME) on the server named by
DATABASE_URL; creates and migrates it, builds the round once with bulk inserts (kept for later runs; --fresh
rebuilds it): 2,000 submitted applications with computed scores (ranked; about one in five below the minimum
fundable score, so not fundable; a few not ranked), requests spread around each category's maximum, in the
eight regions, and a plan that asks for at least two grants in two regions. Then prints:
- build_plan on a fresh draft plan (a new plan each run, so 2,000 lines are inserted): median and max of --runs
  runs, its number of queries, the time spent inside the database and the slowest statements;
- build_plan recomputing that draft (its 2,000 lines updated in place): median and max;
- allocate() alone, the pure rules over the same 2,000 candidates: median and max.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/funding_plan.py [--runs 7] [--fresh]
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

CODE, SIZE = "bench-plan", 2_000
TARGET_MS = 200
# Round 1 of the Trust: 10 grants up to $15M, 15 up to $6M, 15 up to $600K, $249.75M available.
CATEGORIES = [
    ("Up to $15,000,000", "15000000", 10),
    ("Up to $6,000,000", "6000000", 15),
    ("Up to $600,000", "600000", 15),
]


def database_url(name: str, fresh: bool) -> str:
    import psycopg
    from psycopg import sql

    parts = urlsplit(os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ccpt"))
    if not parts.scheme.startswith("postgres"):
        sys.exit("This benchmark needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/anything")
    maintenance = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        if fresh:
            connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return urlunsplit(parts._replace(path=f"/{name}"))


def build():
    """The round, built once. Returns (round, staff user)."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Consortium, County, Organization, Region, User
    from consortia.roles import Role
    from grants.applications.models import Application
    from grants.programs.models import FundingCategory, Program, Round
    from grants.reviews.models import ApplicationScore

    staff, _ = User.objects.get_or_create(email="bench-staff@example.org")
    staff.groups.add(Group.objects.get(name=Role.PROGRAM_STAFF))
    existing = Round.objects.filter(code=CODE).first()
    if existing and existing.application_scores.count() == SIZE:
        return existing, staff
    if existing:
        sys.exit("The benchmark database holds partial data: run again with --fresh.")

    rng = random.Random(2014)
    with transaction.atomic():
        program, _ = Program.objects.get_or_create(name="California Career Pathways Trust")
        now = timezone.now()
        round_ = Round.objects.create(
            program=program,
            name="Benchmark round: funding plan",
            code=CODE,
            status=Round.Status.IN_REVIEW,
            funds_available=Decimal("249750000.00"),
            opens_at=now - timedelta(days=60),
            closes_at=now - timedelta(days=1),
            grant_start_year=2026,
            minimum_fundable_score=Decimal("60"),
        )
        categories = [
            FundingCategory.objects.create(
                round=round_, name=name, maximum_award=Decimal(maximum), planned_grants=planned, position=i
            )
            for i, (name, maximum, planned) in enumerate(CATEGORIES)
        ]
        county, regions = County.objects.first(), list(Region.objects.all())
        leads = Organization.objects.bulk_create(
            Organization(name=f"{CODE} lead {i}", kind=Organization.Kind.SCHOOL_DISTRICT, county=county)
            for i in range(SIZE)
        )
        consortia = Consortium.objects.bulk_create(
            Consortium(name=f"{CODE} consortium {i}", lead_agency=leads[i], region=regions[i % len(regions)])
            for i in range(SIZE)
        )
        applications = []
        for i, consortium in enumerate(consortia):
            category = categories[i % 3]
            # Most ask for about the maximum; some for more (capped), some for much less.
            requested = (category.maximum_award * Decimal(rng.uniform(0.5, 1.1))).quantize(Decimal("1000"))
            applications.append(
                Application(
                    round=round_,
                    consortium=consortium,
                    category=category,
                    number=f"BP-{i:05d}",
                    status=Application.Status.SUBMITTED,
                    title=f"Pathways {i}",
                    requested_amount=requested,
                    created_by=staff,
                    submitted_at=now - timedelta(minutes=i),
                )
            )
        applications = Application.objects.bulk_create(applications)
        finals = sorted(
            ((Decimal(rng.uniform(30, 100)).quantize(Decimal("0.01")), a) for a in applications),
            key=lambda pair: (-pair[0], pair[1].number),
        )
        per_category = {c.pk: 0 for c in categories}
        scores = []
        for rank, (final, application) in enumerate(finals, start=1):
            per_category[application.category_id] += 1
            unranked = rank % 97 == 0  # a few applications were never scored
            scores.append(
                ApplicationScore(
                    application=application,
                    round=round_,
                    readers=3,
                    final=None if unranked else final,
                    fundable=not unranked and final >= round_.minimum_fundable_score,
                    rank=None if unranked else rank,
                    category_rank=None if unranked else per_category[application.category_id],
                    computed_at=now,
                )
            )
        ApplicationScore.objects.bulk_create(scores, batch_size=1000)
    return round_, staff


def timed(function, runs: int, before=None) -> list[float]:
    timings = []
    for _ in range(runs):
        if before:
            before()
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def report(label: str, timings: list[float], target: bool = True) -> None:
    median, worst = statistics.median(timings) * 1000, max(timings) * 1000
    goal = f"  (target < {TARGET_MS} ms)" if target else ""
    print(f"  {label}: median {median:.1f} ms  max {worst:.1f} ms  over {len(timings)} runs{goal}")


def describe(queries) -> None:
    """Where one build_plan's time goes: the database's share, and its slowest statements."""
    total = sum(float(q["time"]) for q in queries.captured_queries)
    print(f"  time inside the database (as the driver saw it): {total * 1000:.1f} ms")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]:
        sql = " ".join(query["sql"].split())
        print(f"    {float(query['time']) * 1000:7.1f} ms  {len(query['sql']):>9,} chars  {sql[:70]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--fresh", action="store_true", help="drop and rebuild the benchmark database")
    args = parser.parse_args()

    os.environ["DATABASE_URL"] = database_url(os.environ.get("BENCH_DATABASE_NAME", "ccpt_bench_plan"), args.fresh)
    os.environ["EMAIL_URL"] = "memorymail://"
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_SETTINGS_MODULE"] = "ccpt.settings"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.awards.models import FundingPlan
    from grants.awards.services.allocation import allocate, build_plan, candidates_for
    from grants.programs.models import FundingCategory

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    round_, staff = build()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh planner statistics after the bulk inserts, as autovacuum would give
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    settings.DEBUG = False  # as in production: no query log kept

    regions = sorted({a.consortium.region_id for a in round_.applications.select_related("consortium")[:16]})
    minimums = {str(regions[0]): 2, str(regions[1]): 2}

    def fresh_plan() -> FundingPlan:
        FundingPlan.objects.filter(round=round_).delete()
        return FundingPlan.objects.create(round=round_, created_by=staff, region_minimums=minimums)

    plan = fresh_plan()
    with CaptureQueriesContext(connection) as queries:
        allocation = build_plan(plan=plan)
    funded = sum(1 for d in allocation.decisions.values() if d.funded)
    print(f"build_plan: {SIZE:,} ranked applications, {len(CATEGORIES)} funding categories, PostgreSQL")
    print(
        f"  {funded} funded for ${allocation.total:,.2f} of ${round_.funds_available:,.2f}; "
        f"{len(allocation.decisions) - funded} not funded"
    )
    print(f"  queries: {len(queries)}")
    describe(queries)

    plans = []

    def new_plan():
        plans.append(fresh_plan())

    report("fresh draft plan", timed(lambda: build_plan(plan=plans[-1]), args.runs, before=new_plan))
    with CaptureQueriesContext(connection) as queries:
        build_plan(plan=plans[-1])
    report("recomputing the draft", timed(lambda: build_plan(plan=plans[-1]), args.runs))
    print(f"  queries when recomputing: {len(queries)}")
    describe(queries)

    candidates = candidates_for(plans[-1])
    categories = {c.pk: (c.maximum_award, c.planned_grants) for c in FundingCategory.objects.filter(round=round_)}

    def pure():
        allocate(
            candidates=candidates,
            categories=categories,
            funds_available=round_.funds_available,
            partial=False,
            region_minimums={int(k): v for k, v in minimums.items()},
        )

    print(f"allocate() alone over {len(candidates):,} candidates (no database):")
    report("allocate", timed(pure, max(args.runs, 20)), target=False)
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()
