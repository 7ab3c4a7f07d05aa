"""Automatic reader assignment: 500 submitted applications, 3 readers each, among 40 readers. Target: under 2 s.

Runs against its own PostgreSQL database (ccpt_bench_assign, or BENCH_DATABASE_NAME) on the server named by
DATABASE_URL; creates and migrates it, builds the data once (kept for later runs; --fresh rebuilds it), then times
grants.services.assignment.auto_assign several times, rolling each run back.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/auto_assignment.py [--runs 5]
"""

import random
import statistics
import time

import common

APPLICATIONS, POOL, READERS = 500, 40, 3
CODE = "bench-assign"


def build():
    """500 consortia (lead agency and two members each) with a submitted application, 40 readers with
    affiliations and declared conflicts. Built with bulk inserts; returns the round."""
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Affiliation, Region, User
    from grants.applications.models import Application

    if existing := common.existing_round(CODE, APPLICATIONS):
        return existing

    rng = random.Random(2014)
    with transaction.atomic():
        now = timezone.now()
        round_ = common.make_round(CODE, "Benchmark round", now=now, readers_per_application=READERS)
        (category,) = common.funding_categories(round_, [("Up to $6,000,000", "6000000.00", 15)])
        organizations, consortia = common.make_consortia(
            APPLICATIONS,
            "Bench organization {i}",
            "Bench consortium {i}",
            per_consortium=3,
            regions=[Region.objects.first()],
            memberships=True,
        )
        applicant = User.objects.create_user(email="bench-applicant@example.org")
        Application.objects.bulk_create(
            common.submitted_application(round_, c, category, f"BENCH-{i:04d}", f"Pathways {i}", applicant, now)
            for i, c in enumerate(consortia)
        )
        readers = common.reader_pool(POOL)
        Affiliation.objects.bulk_create(
            Affiliation(user=r, organization=org)
            for r in readers
            for org in rng.sample(organizations, rng.randint(1, 4))
        )
        common.declared_conflicts(rng, readers, consortia, 60, recorded_by=applicant)
    return round_


def main():
    parser = common.arguments(__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    common.setup_django("ccpt_bench_assign", args.fresh)

    from django.db import transaction

    from consortia.models import User
    from grants.reviews.services.assignment import auto_assign

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
