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

import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

import common

CODE, SIZE = "bench-plan", 2_000
TARGET_MS = 200
# Round 1 of the Trust: 10 grants up to $15M, 15 up to $6M, 15 up to $600K, $249.75M available.
CATEGORIES = [
    ("Up to $15,000,000", "15000000", 10),
    ("Up to $6,000,000", "6000000", 15),
    ("Up to $600,000", "600000", 15),
]


def build():
    """The round, built once. Returns (round, staff user)."""
    from django.db import transaction
    from django.utils import timezone

    from grants.applications.models import Application
    from grants.reviews.models import ApplicationScore

    staff = common.staff_account()
    if existing := common.existing_round(CODE, SIZE, count=lambda r: r.application_scores.count()):
        return existing, staff

    rng = random.Random(2014)
    with transaction.atomic():
        now = timezone.now()
        round_ = common.make_round(
            CODE,
            "Benchmark round: funding plan",
            now=now,
            funds_available=Decimal("249750000.00"),
            minimum_fundable_score=Decimal("60"),
        )
        categories = common.funding_categories(round_, CATEGORIES)
        _, consortia = common.make_consortia(SIZE, CODE + " lead {i}", CODE + " consortium {i}")
        applications = []
        for i, consortium in enumerate(consortia):
            category = categories[i % 3]
            # Most ask for about the maximum; some for more (capped), some for much less.
            requested = (category.maximum_award * Decimal(rng.uniform(0.5, 1.1))).quantize(Decimal("1000"))
            applications.append(
                common.submitted_application(
                    round_,
                    consortium,
                    category,
                    f"BP-{i:05d}",
                    f"Pathways {i}",
                    staff,
                    now - timedelta(minutes=i),
                    requested_amount=requested,
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
    parser = common.arguments(__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    common.setup_django("ccpt_bench_plan", args.fresh)

    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from grants.awards.models import FundingPlan
    from grants.awards.services.allocation import allocate, build_plan, candidates_for
    from grants.programs.models import FundingCategory

    started = time.perf_counter()
    round_, staff = build()
    common.analyze()  # fresh planner statistics after the bulk inserts, as autovacuum would give
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

    report("fresh draft plan", common.timed(lambda: build_plan(plan=plans[-1]), args.runs, before=new_plan))
    with CaptureQueriesContext(connection) as queries:
        build_plan(plan=plans[-1])
    report("recomputing the draft", common.timed(lambda: build_plan(plan=plans[-1]), args.runs))
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
    report("allocate", common.timed(pure, max(args.runs, 20)), target=False)
    print(f"load average while measuring: {common.load_average()}")


if __name__ == "__main__":
    main()
