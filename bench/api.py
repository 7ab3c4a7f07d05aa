"""The figures of issue 13: the API's awards list with their ledgers over 2,000 awards, and the indicator values of
80 awards x 4 years, a page at a time, as program staff with a token.

Builds, in its own PostgreSQL database (ccpt_bench_api, or BENCH_DATABASE_NAME, on the server DATABASE_URL names),
--awards awards (default 2,000) of one round, each with four instalments and a payment of each (two paid, one
released, one scheduled) and a recovery on every tenth; and, through bench/outcomes.py's builder, 80 accepted
awards whose four annual reports hold --members members' (default 10) values of 12 indicators, entered, submitted
and accepted through the site's services. --reuse keeps a database that holds a complete build.

Then, in this process through Django's test client (the whole middleware stack; no HTTP server): --requests pages
(after --warmups) of /api/v1/awards/ (--page-size, default 100, at pages spread over the list) and of
/api/v1/indicator-values/ (200 a page), p50 and p95 and each page's queries.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/api.py [--reuse]
"""

import os
import random
import secrets
import time
from datetime import date, timedelta
from decimal import Decimal

import common
import outcomes

CODE = "bench-api"


def build(awards: int) -> None:
    from django.utils import timezone

    from consortia.models import User
    from grants.applications.models import Application
    from grants.awards.models import Award, FundingPlan, Instalment
    from grants.payments.models import Payment, Recovery

    now = timezone.now()
    staff = common.staff_account(first_name="Bench", last_name="Staff")
    other = User.objects.get_or_create(email="bench-releaser@example.org")[0]
    round_ = common.make_round(CODE, "API benchmark round", now=now, status="decided", grant_years=4)
    (category,) = common.funding_categories(round_, [("Up to $6,000,000", "6000000", awards)])
    _, consortia = common.make_consortia(awards, "API bench district {i}", "API bench consortium {i}")
    plan = FundingPlan.objects.create(round=round_, status="approved", created_by=staff, approved_at=now)
    applications = Application.objects.bulk_create(
        Application(
            round=round_,
            consortium=c,
            category=category,
            number=f"BA-{i:05d}",
            status="submitted",
            requested_amount=Decimal("4000000.00"),
            created_by=staff,
        )
        for i, c in enumerate(consortia)
    )
    made = Award.objects.bulk_create(
        Award(
            round=round_,
            application=a,
            consortium=a.consortium,
            category=category,
            plan=plan,
            number=f"BA-AW-{i:05d}",
            amount=Decimal("4000000.00"),
            start_year=round_.grant_start_year,
            years=4,
            status=Award.Status.ACTIVE,
            offered_at=now - timedelta(days=900),
        )
        for i, a in enumerate(applications)
    )
    instalments = Instalment.objects.bulk_create(
        Instalment(award=a, fiscal_year=year, amount=Decimal("1000000.00")) for a in made for year in a.fiscal_years
    )
    statuses = ["paid", "paid", "released", "scheduled"]
    Payment.objects.bulk_create(
        Payment(
            award_id=i.award_id,
            instalment=i,
            fiscal_year=i.fiscal_year,
            amount=i.amount,
            status=statuses[n % 4],
            released_by=other if statuses[n % 4] != "scheduled" else None,
            released_at=now if statuses[n % 4] != "scheduled" else None,
            paid_on=date(2024, 8, 1) if statuses[n % 4] == "paid" else None,
            reference=f"W-{n}" if statuses[n % 4] == "paid" else "",
        )
        for n, i in enumerate(instalments)
    )
    Recovery.objects.bulk_create(
        Recovery(award=a, amount=Decimal("1200.00"), reason="Unspent.", received_on=date(2025, 7, 1), by=staff)
        for a in made[::10]
    )
    common.analyze(vacuum=True)


def queries_and_times(client, url, pages, requests, warmups):
    for n in range(warmups):
        common.check(client.get(url, {"page": pages[n % len(pages)]}))
    counts = set()

    def one(n=[0]):  # noqa: B006 - a counter across calls
        page = pages[n[0] % len(pages)]
        n[0] += 1
        counts.add(outcomes.queries_of(lambda: common.check(client.get(url, {"page": page}))))

    timings = common.timed(one, requests)
    return common.median_p95_ms(timings), counts


def measure(requests: int, warmups: int, page_size: int) -> None:
    from django.test import Client

    from ccpt.api.tokens import make_token
    from grants.awards.models import Award
    from grants.reporting.models import ReportValue

    staff = common.staff_account()
    _, secret = make_token(user=staff, name="Benchmark", scopes=["read"])
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    total = Award.objects.count()
    pages = random.Random(3).sample(range(1, total // page_size + 1), min(10, total // page_size))
    (p50, p95), counts = queries_and_times(client, f"/api/v1/awards/?page_size={page_size}", pages, requests, warmups)
    print(f"\n{total:,} awards; load {common.load_average()}")
    print(f"  /api/v1/awards/ ({page_size} a page, with ledgers): p50 {p50:.1f} ms, p95 {p95:.1f} ms; queries {counts}")
    values = ReportValue.objects.count()
    pages = list(range(1, min(values // 200, 40) + 1, 4))
    (p50, p95), counts = queries_and_times(client, "/api/v1/indicator-values/?page_size=200", pages, requests, warmups)
    print(f"{values:,} indicator values")
    print(f"  /api/v1/indicator-values/ (200 a page): p50 {p50:.1f} ms, p95 {p95:.1f} ms; queries {counts}")


def main() -> None:
    parser = common.arguments(__doc__)
    parser.add_argument("--awards", type=int, default=2000)
    parser.add_argument("--members", type=int, default=10)
    parser.add_argument("--page-size", type=int, default=100)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep a database that holds a complete build")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    common.setup_django("ccpt_bench_api", fresh=args.fresh or not args.reuse, broker="memory://", client=True)
    from django.test import override_settings

    from grants.programs.models import Round

    if not Round.objects.filter(code=CODE).exists():
        started = time.perf_counter()
        print(f"Building {args.awards} awards with payments ...")
        build(args.awards)
        print(f"Building 80 awards x {args.members} members x 12 indicators x 4 years of values ...")
        outcomes.build(80, args.members, 12, seed=11)
        print(f"Built in {time.perf_counter() - started:.0f} s")
    with override_settings(SECURE_SSL_REDIRECT=False, CCPT_API_TOKEN_RATE="100000/minute"):
        measure(args.requests, args.warmups, args.page_size)


if __name__ == "__main__":
    main()
