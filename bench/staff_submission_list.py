"""The staff list of a round's submissions with 2,000 submitted applications: p95 under 150 ms, constant queries.

Runs against its own PostgreSQL database (ccpt_bench, or BENCH_DATABASE_NAME) on the server named by DATABASE_URL;
creates and migrates it, builds the round once with bulk inserts (kept for later runs; --fresh rebuilds it):
2,000 consortia with lead agencies and partners in the 8 regions, 3 funding categories, 1-4 programs of study per
application across the 15 sectors, a submitted snapshot per application with its screening checks (some failed,
some of those overridden by staff). Then, signed in as program staff through django.test.Client (server side,
no network), it requests each page --requests times after a warm-up and prints the median and 95th percentile
in ms (wall clock; and the Python process's CPU time, which shows the cost apart from a busy machine) and the
number of SQL queries per request:
- the first page (submitted applications by number), a filtered page (region, sector, sorted by amount),
  a search (words of a title, failed screening);
- the CSV export of every row.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/staff_submission_list.py \
        [--requests 50] [--fresh]
"""

import hashlib
import json
import random
import time
from datetime import timedelta
from decimal import Decimal

import common

CODE, SIZE = "bench-list", 2_000
COLLEGES, EMPLOYERS = 110, 600
WORDS = ["Regional", "Health", "Advanced", "Manufacturing", "Digital", "Green", "Energy", "Futures", "Bridges"]


def build():
    """The benchmark round with SIZE submitted applications, built once. Returns the round."""
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Consortium, County, Membership, Organization, Region, User
    from grants.applications.models import Application, ProgramOfStudy, ScreeningCheck, Submission
    from grants.applications.sectors import Sector
    from grants.programs.models import Round

    if existing := common.existing_round(CODE, SIZE):
        return existing

    rng = random.Random(2014)
    now = timezone.now()
    K = Organization.Kind
    with transaction.atomic():
        round_ = common.make_round(
            CODE,
            "Benchmark round: implementation grants",
            now=now,
            status=Round.Status.CLOSED,
            funds_available=Decimal("249750000.00"),
            match_percent=Decimal("10"),
        )
        categories = common.funding_categories(round_, [(*category, 15) for category in common.CATEGORIES])
        counties, regions = list(County.objects.all()), list(Region.objects.all())
        staff = common.staff_account(first_name="Bench")
        applicant, _ = User.objects.get_or_create(email="bench-applicant@example.org")

        lead_kinds = [K.SCHOOL_DISTRICT, K.SCHOOL_DISTRICT, K.COUNTY_OFFICE, K.COMMUNITY_COLLEGE, K.CHARTER_SCHOOL]
        leads = Organization.objects.bulk_create(
            Organization(
                name=f"Bench {rng.choice(counties).name} Lead Agency {i + 1:04d}",
                kind=lead_kinds[i % len(lead_kinds)],
                is_direct_funded=lead_kinds[i % len(lead_kinds)] == K.CHARTER_SCHOOL,
                county=rng.choice(counties),
            )
            for i in range(SIZE)
        )
        colleges = Organization.objects.bulk_create(
            Organization(
                name=f"Bench Community College District {i}", kind=K.COMMUNITY_COLLEGE, county=counties[i % 58]
            )
            for i in range(COLLEGES)
        )
        employers = Organization.objects.bulk_create(
            Organization(name=f"Bench Employer {i}", kind=K.BUSINESS, county=counties[i % 58]) for i in range(EMPLOYERS)
        )
        consortia = Consortium.objects.bulk_create(
            Consortium(
                name=f"Bench {rng.choice(WORDS)} Career Pathways Consortium {i + 1:04d}",
                lead_agency=leads[i],
                region=regions[i % len(regions)],
                labor_market_region="The counties around the lead agency and their commuting zone.",
            )
            for i in range(SIZE)
        )
        memberships = []
        for consortium, lead in zip(consortia, leads, strict=True):
            memberships.append(
                Membership(consortium=consortium, organization=lead, role=Membership.role_for(lead.kind))
            )
            partners = rng.sample(colleges, rng.randint(1, 3)) + rng.sample(employers, rng.randint(2, 5))
            memberships += [
                Membership(consortium=consortium, organization=p, role=Membership.role_for(p.kind))
                for p in partners
                if p.pk != lead.pk
            ]
        Membership.objects.bulk_create(memberships, batch_size=5_000)

        sectors = list(Sector)
        applications = []
        for i, consortium in enumerate(consortia):
            category = categories[i % 3]
            share = Decimal(rng.randint(55, 100)) / 100 if rng.random() > 0.05 else Decimal("1.10")
            sector = rng.choice(sectors)
            # Drawn in this order (title, students served, submission time) so that the seed keeps giving the same data.
            title = f"{rng.choice(WORDS)} {sector.label} Pathways {i + 1:04d}"
            students_served = rng.randint(200, 12_000)
            submitted_at = round_.closes_at - timedelta(minutes=rng.randint(1, 20_000))
            applications.append(
                common.submitted_application(
                    round_,
                    consortium,
                    category,
                    f"BL-{i + 1:04d}",
                    title,
                    applicant,
                    submitted_at,
                    summary="Pathways from grade 9 through community college into regional high-wage jobs.",
                    students_served=students_served,
                    requested_amount=(category.maximum_award * share).quantize(Decimal("0.01")),
                )
            )
        applications = Application.objects.bulk_create(applications, batch_size=1_000)

        programs = []
        for application in applications:
            for position, sector in enumerate(rng.sample(sectors, rng.randint(1, 4))):
                programs.append(
                    ProgramOfStudy(
                        application=application,
                        name=f"{sector.label} pathway",
                        sector=sector,
                        k12_sequence="Introduction; Concentrator course; Capstone",
                        postsecondary_sequence="Certificate; Associate degree",
                        work_based_learning="Job shadowing in grade 11; paid internships in grade 12.",
                        position=position,
                    )
                )
        ProgramOfStudy.objects.bulk_create(programs, batch_size=5_000)

        names = {}
        for program in programs:
            names.setdefault(program.application_id, []).append(program.name)
        submissions = []
        for application in applications:
            data = {
                "number": application.number,
                "title": application.title,
                "summary": application.summary * 20,
                "requested_amount": str(application.requested_amount),
                "programs": names[application.pk],
            }
            pending = rng.random() < 0.05
            submissions.append(
                Submission(
                    application=application,
                    submitted_at=application.submitted_at,
                    submitted_by=applicant,
                    data=data,
                    checksum=hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest(),
                    screening=Submission.Screening.PENDING if pending else Submission.Screening.PASSED,
                    screened_at=None if pending else application.submitted_at + timedelta(seconds=5),
                    receipt_sent_at=None if pending else application.submitted_at + timedelta(seconds=5),
                )
            )
        submissions = Submission.objects.bulk_create(submissions, batch_size=1_000)

        keys = [
            ("complete", "Every section is complete"),
            ("lead_agency", "Lead agency is eligible"),
            ("composition", "Required members are in the consortium"),
            ("category_maximum", "Request is within the funding category's maximum"),
            ("match", "Partner commitments reach 10% of the request"),
            ("attachments", "Required attachments are uploaded"),
        ]
        checks = []
        for submission, application in zip(submissions, applications, strict=True):
            if submission.screening == Submission.Screening.PENDING:
                continue
            over = application.requested_amount > application.category.maximum_award
            failing = {"category_maximum"} if over else set()
            if rng.random() < 0.12:
                failing |= set(rng.sample(["complete", "match", "attachments"], rng.randint(1, 2)))
            overridden = bool(failing) and not over and rng.random() < 0.35
            for key, label in keys:
                failed = key in failing
                checks.append(
                    ScreeningCheck(
                        submission=submission,
                        key=key,
                        label=label,
                        passed=not failed,
                        detail="Missing: Budget workbook" if failed else "",
                        overridden_by=staff if failed and overridden else None,
                        overridden_at=submission.screened_at if failed and overridden else None,
                        override_reason="Received on paper before the deadline." if failed and overridden else "",
                    )
                )
            if failing and not overridden:
                submission.screening = Submission.Screening.FAILED
        ScreeningCheck.objects.bulk_create(checks, batch_size=5_000)
        Submission.objects.bulk_update(submissions, ["screening"], batch_size=1_000)
    return round_


def main():
    parser = common.arguments(__doc__)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    common.setup_django("ccpt_bench", args.fresh, client=True)

    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from consortia.models import User

    started = time.perf_counter()
    round_ = build()
    common.analyze()  # planner statistics, as autovacuum keeps them on a live database
    print(
        f"data ready in {time.perf_counter() - started:.1f} s: {round_.applications.submitted().count():,} "
        f"submitted applications in {round_}"
    )

    settings.DEBUG = False  # as in production: no query log kept per request
    client = Client()
    client.force_login(User.objects.get(email=common.STAFF_EMAIL))
    first = round_.applications.order_by("number").select_related("consortium").first()
    url = reverse("applications:submissions", args=[round_.pk])
    pages = {
        "first page": {},
        "filtered (region, sector, by amount)": {
            "region": str(first.consortium.region_id),
            "sector": "health",
            "sort": "-requested",
        },
        "search (title words, failed screening)": {"q": "health pathways", "screening": "failed"},
    }
    print(
        f"staff submission list: {SIZE:,} submitted applications, {args.requests} requests each after warm-up "
        f"(CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']})"
    )
    for label, params in pages.items():
        for _ in range(5):
            client.get(url, params)  # warm up
        cpu = []
        timings = common.timed(lambda params=params: common.check(client.get(url, params)), args.requests, cpu=cpu)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, params)
        rows = response.content.decode().count('<th scope="row">')
        (p50, p95), (cpu_p50, cpu_p95) = common.median_p95_ms(timings), common.median_p95_ms(cpu)
        print(
            f"  {label}: p50 {p50:.1f} ms  p95 {p95:.1f} ms"
            f"  queries {len(queries)}  rows on page {rows}  (target p95 < 150 ms)"
        )
        print(f"    Python CPU time of the request: p50 {cpu_p50:.1f} ms  p95 {cpu_p95:.1f} ms")

    csv_url = reverse("applications:submissions-csv", args=[round_.pk])
    runs = max(5, args.requests // 5)
    export = {}

    def download() -> None:
        with CaptureQueriesContext(connection) as export["queries"]:
            response = client.get(csv_url)
            export["lines"] = b"".join(response.streaming_content).count(b"\n")

    timings = common.timed(download, runs + 1)[1:]  # the first request warms up
    (p50, p95), lines = common.median_p95_ms(timings), export["lines"]
    print(
        f"  CSV export of all rows ({lines - 1:,} lines): p50 {p50:.1f} ms  p95 {p95:.1f} ms"
        f"  queries {len(export['queries'])}  ({runs} requests)"
    )


if __name__ == "__main__":
    main()
