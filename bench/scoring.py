"""Scoring a round: 10,000 applications x 3 readers x 8 criteria in under 2 s, and the ranked list page with
2,000 applications in under 150 ms (95th percentile).

Runs against its own PostgreSQL database (ccpt_bench_scoring, or BENCH_DATABASE_NAME) on the server named by
DATABASE_URL; creates and migrates it, builds the data once with bulk inserts (kept for later runs; --fresh
rebuilds it), then prints:
- score_round: the median of --runs runs and its number of queries;
- the floor: one plain SQL aggregate of the same scores (SELECT review_id, SUM(points * weight) ... GROUP BY),
  median of the same number of runs, and the ratio score_round / floor;
- the ranked list page (GET, signed in as staff, first page and a filtered page) over a round of 2,000
  applications: median and 95th percentile of --requests requests each.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/scoring.py [--runs 5] [--fresh]
"""

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

import common

READERS, CRITERIA, POOL = 3, 8, 200
BIG, SMALL = ("bench-score", 10_000), ("bench-rank", 2_000)
SECTORS = ["health", "ict", "manufacturing", "energy", "agriculture", "building_trades"]


def build(code: str, size: int):
    """A round of `size` submitted applications, each read by 3 of 200 readers (each reader with a severity of
    their own) on 8 weighted criteria, reviews submitted; a few confirmed priorities. Returns the round."""
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Affiliation, User
    from grants.applications.models import Application, ProgramOfStudy
    from grants.programs.models import CompetitivePriority, Criterion
    from grants.reviews.models import Assignment, PriorityClaim, Review, Score

    if existing := common.existing_round(code, size):
        return existing

    rng = random.Random(2014)
    with transaction.atomic():
        now = timezone.now()
        round_ = common.make_round(
            code,
            f"Benchmark round {code}",
            now=now,
            readers_per_application=READERS,
            minimum_fundable_score=Decimal("60"),
        )
        categories = common.funding_categories(round_, [(*category, 10) for category in common.CATEGORIES])
        criteria = Criterion.objects.bulk_create(
            Criterion(
                round=round_,
                name=f"Criterion {i + 1}",
                max_points=Decimal("10"),
                weight=Decimal(["1", "1.5", "1", "2", "0.5", "1", "1.25", "1.75"][i]),
                position=i,
            )
            for i in range(CRITERIA)
        )
        priorities = [
            CompetitivePriority.objects.create(round=round_, name="Dropout region", bonus_points=Decimal("3")),
            CompetitivePriority.objects.create(round=round_, name="Apprenticeship", use="tie_break"),
        ]
        leads, consortia = common.make_consortia(size, code + " lead {i}", code + " consortium {i}", memberships=True)
        applicant, _ = User.objects.get_or_create(email="bench-applicant@example.org")
        applications = Application.objects.bulk_create(
            common.submitted_application(
                round_,
                c,
                categories[i % 3],
                f"{code.upper()}-{i:05d}",
                f"Pathways {i}",
                applicant,
                now - timedelta(minutes=i),
            )
            for i, c in enumerate(consortia)
        )
        ProgramOfStudy.objects.bulk_create(
            ProgramOfStudy(application=a, name="Pathway", sector=SECTORS[i % len(SECTORS)])
            for i, a in enumerate(applications)
        )
        readers = common.reader_pool(POOL)
        severity = {r.pk: rng.uniform(-2, 2) for r in readers}
        assignments = Assignment.objects.bulk_create(
            Assignment(
                application=a,
                reader=readers[(i * READERS + k) % len(readers)],
                status=Assignment.Status.ACCEPTED,
                attested_at=now,
            )
            for i, a in enumerate(applications)
            for k in range(READERS)
        )
        reviews = Review.objects.bulk_create(
            Review(assignment=a, status=Review.Status.SUBMITTED, submitted_at=now) for a in assignments
        )
        quality = {a.pk: rng.uniform(3, 9) for a in applications}
        Score.objects.bulk_create(
            (
                Score(
                    review=review,
                    criterion=criterion,
                    points=Decimal(
                        max(0, min(10, round(quality[assignment.application_id] + severity[assignment.reader_id])))
                    ),
                )
                for review, assignment in zip(reviews, assignments, strict=True)
                for criterion in criteria
            ),
            batch_size=10_000,
        )
        PriorityClaim.objects.bulk_create(
            PriorityClaim(application=a, priority=priorities[i % 2], confirmed_by=applicant)
            for i, a in enumerate(applications)
            if i % 7 == 0
        )
        # Readers' affiliations and declared conflicts, so that the conflict check has work to do (some hit
        # assigned applications: those reviews do not count).
        Affiliation.objects.bulk_create(
            (Affiliation(user=r, organization=org) for r in readers for org in rng.sample(leads, 2)),
            ignore_conflicts=True,
        )
        common.declared_conflicts(rng, readers, consortia, size // 100, recorded_by=applicant)
    return round_


def floor_query(round_id: int):
    from django.db import connection

    sql = """
        SELECT s.review_id, SUM(s.points * c.weight)
        FROM reviews_score s
        JOIN programs_criterion c ON c.id = s.criterion_id
        JOIN reviews_review r ON r.id = s.review_id
        JOIN reviews_assignment a ON a.id = r.assignment_id
        JOIN applications_application ap ON ap.id = a.application_id
        WHERE ap.round_id = %s AND r.status = 'submitted'
        GROUP BY s.review_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [round_id])
        return cursor.fetchall()


def main():
    parser = common.arguments(__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--requests", type=int, default=100)
    args = parser.parse_args()
    common.setup_django("ccpt_bench_scoring", args.fresh, client=True)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from grants.reviews.services.scoring import score_round

    started = time.perf_counter()
    big = build(*BIG)
    small = build(*SMALL)
    # Planner statistics and no dead rows left by earlier runs: what autovacuum keeps up on a live server.
    common.analyze(vacuum=True)
    print(f"data ready in {time.perf_counter() - started:.1f} s")

    with CaptureQueriesContext(connection) as queries:
        score_round(round_id=big.pk)
    cpu = []
    runs = common.timed(lambda: score_round(round_id=big.pk), args.runs, cpu=cpu)
    floor = common.timed(lambda: floor_query(big.pk), args.runs)
    median, floor_median = statistics.median(runs), statistics.median(floor)
    print(f"score_round: {BIG[1]:,} applications x {READERS} readers x {CRITERIA} criteria, PostgreSQL")
    print(f"  median of {len(runs)}: {median:.3f} s  max: {max(runs):.3f} s  (target < 2 s)")
    print(
        f"  Python CPU (median): {statistics.median(cpu):.3f} s  queries: {len(queries)} "
        "+ 1 (the upsert goes through a psycopg cursor, outside Django's query log)"
    )
    print(f"floor (one SQL aggregate of the weighted totals, {len(floor_query(big.pk)):,} rows):")
    print(f"  median of {len(floor)}: {floor_median:.3f} s")
    print(f"ratio score_round / floor: {median / floor_median:.1f}")
    print(f"load average while measuring: {common.load_average()}")

    score_round(round_id=small.pk)
    settings.DEBUG = False  # as in production: no query log kept per request
    client = Client()
    client.force_login(common.staff_account())
    url = reverse("reviews:scores-ranking", args=[small.pk])
    pages = {
        "first page": {},
        "filtered (sector, region)": {
            "sector": "health",
            "region": str(small.applications.first().consortium.region_id),
        },
    }
    print(f"ranked list page: {SMALL[1]:,} applications, {args.requests} requests each")
    for label, params in pages.items():
        client.get(url, params)  # warm up
        cpu = []
        timings = common.timed(lambda params=params: common.check(client.get(url, params)), args.requests, cpu=cpu)
        (median_ms, p95_ms), (_, cpu_p95_ms) = common.median_p95_ms(timings), common.median_p95_ms(cpu)
        print(
            f"  {label}: median {median_ms:.1f} ms  p95 {p95_ms:.1f} ms  (target p95 < 150 ms)  "
            f"Python CPU p95 {cpu_p95_ms:.1f} ms"
        )
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    print(f"  queries per page: {len(queries)}")
    dashboard = reverse("reviews:scores", args=[small.pk])
    timings = common.timed(lambda: client.get(dashboard), max(10, args.requests // 5))
    median_ms, p95_ms = common.median_p95_ms(timings)
    print(f"score dashboard page: median {median_ms:.1f} ms  p95 {p95_ms:.1f} ms")


if __name__ == "__main__":
    main()
