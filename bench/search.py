"""Search across every round's applications: a two-word query over 10,000 applications in under 100 ms (95th
percentile) on PostgreSQL, through the page, as program staff.

Runs against its own PostgreSQL database (ccpt_bench_search, or BENCH_DATABASE_NAME) on the server named by
DATABASE_URL; builds the data once with bulk inserts (kept for later runs; --fresh rebuilds it): 10,000 submitted
applications over two rounds, each with a title, a summary, target group, need and labor market texts and three
narrative responses of a few hundred words drawn from a CTE vocabulary, a program of study, and consortia of six
members; then builds every search document (timed) and prints, for a two-word query, a rare word and a common
word: p50 and p95 of --requests GETs of /search/ with Django's test client in process, the query count, and how
many applications matched.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/search.py [--requests 60]
"""

import os
import random
import re
import secrets
import time
from datetime import timedelta

import common

SIZE, MEMBERS, NARRATIVES = 10_000, 6, 3
CODES = ("bench-search-1", "bench-search-2")
RARE = "aquaponics"  # in about 1 application in 300
SECTORS = ["health", "ict", "manufacturing", "energy", "agriculture", "building_trades", "engineering", "hospitality"]
TOPICS = {
    "health": ["allied health", "nursing", "medical assisting", "pharmacy technicians", "emergency medicine"],
    "ict": ["cybersecurity", "software development", "networking", "game design", "data analytics"],
    "manufacturing": ["advanced manufacturing", "machining", "welding", "mechatronics", "robotics"],
    "energy": ["solar installation", "utility line work", "energy efficiency", "water treatment"],
    "agriculture": ["agricultural mechanics", "food science", "plant science", "veterinary science"],
    "building_trades": ["construction", "carpentry", "electrical trades", "plumbing", "HVAC"],
    "engineering": ["civil engineering", "architecture", "surveying", "engineering design"],
    "hospitality": ["culinary arts", "hotel management", "tourism", "event planning"],
}
SENTENCES = [
    "Students in grades {g} follow a sequence of {t} courses leading to college credit and an industry credential.",
    "Our consortium aligns high school {t} courses with the community college program so that no course is repeated.",
    "Employers in the region report hundreds of unfilled positions in {t}, and wages rise with each certificate.",
    "Work-based learning begins with job shadowing in grade ten and ends with paid internships in {t}.",
    "Teachers take summer externships with partner employers to bring current practice in {t} into the classroom.",
    "Counselors meet every student twice a year to plan a pathway through {t} and into postsecondary education.",
    "Dual enrollment lets students earn up to fifteen college units in {t} before they graduate from high school.",
    "The advisory board of employers reviews the {t} curriculum each spring and recommends changes.",
    "Data on completion, credentials and placement in {t} are shared across districts and the college each term.",
    "Students from low-income families and English learners are recruited into {t} with mentors and transportation.",
    "The regional economy depends on {t}, and the labor market analysis shows steady growth over the next decade.",
    "Sustainability plans keep the {t} pathway running after the grant through district and college budgets.",
]


def paragraph(rng: random.Random, sector: str, words: int) -> str:
    text = []
    while sum(len(s.split()) for s in text) < words:
        text.append(rng.choice(SENTENCES).format(g=rng.choice(["9-12", "9-14", "11-14"]), t=rng.choice(TOPICS[sector])))
    return " ".join(text)


def build():
    """Two rounds, 10,000 submitted applications with their text, narratives, programs and consortia."""
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import User
    from grants.applications.models import Application, NarrativeResponse, ProgramOfStudy
    from grants.programs.models import Criterion

    def count(_round):
        return Application.objects.filter(round__code__in=CODES).count()

    if common.existing_round(CODES[0], SIZE, count):
        return
    rng = random.Random(2014)
    with transaction.atomic():
        now = timezone.now()
        rounds = [common.make_round(code, f"Benchmark search round {i + 1}", now=now) for i, code in enumerate(CODES)]
        categories = [common.funding_categories(r, [(*c, 10) for c in common.CATEGORIES]) for r in rounds]
        criteria = [
            Criterion.objects.bulk_create(
                Criterion(round=r, name=name, max_points=20, position=i)
                for i, name in enumerate(["Need and labor market", "Programs of study", "Partnerships"])
            )
            for r in rounds
        ]
        _, consortia = common.make_consortia(
            SIZE, "Search district {i}", "Search consortium {i}", per_consortium=MEMBERS, memberships=True
        )
        applicant, _ = User.objects.get_or_create(email="bench-applicant@example.org")
        sectors = [rng.choice(SECTORS) for _ in range(SIZE)]
        applications = []
        for i, (c, sector) in enumerate(zip(consortia, sectors, strict=True)):
            r = i % 2
            topic = rng.choice(TOPICS[sector])
            title = f"{c.name.replace('Search consortium', 'Region')} {topic.title()} Pathways"
            applications.append(
                common.submitted_application(
                    rounds[r],
                    c,
                    categories[r][i % 3],
                    f"{CODES[r].upper()}-{i:05d}",
                    title,
                    applicant,
                    now - timedelta(minutes=i),
                    summary=paragraph(rng, sector, 80),
                    target_group=paragraph(rng, sector, 40),
                    need_statement=paragraph(rng, sector, 150),
                    labor_market=paragraph(rng, sector, 120),
                )
            )
        applications = Application.objects.bulk_create(applications, batch_size=1000)
        narratives = []
        for i, (a, sector) in enumerate(zip(applications, sectors, strict=True)):
            for k, criterion in enumerate(criteria[i % 2]):
                text = paragraph(rng, sector, rng.randint(250, 450))
                if k == 0 and i % 300 == 7:
                    text += f" A greenhouse lab teaches {RARE} alongside hydroponics."
                narratives.append(NarrativeResponse(application=a, criterion=criterion, text=text))
        NarrativeResponse.objects.bulk_create(narratives, batch_size=2000)
        ProgramOfStudy.objects.bulk_create(
            (
                ProgramOfStudy(application=a, name=f"{rng.choice(TOPICS[s]).title()} pathway", sector=s)
                for a, s in zip(applications, sectors, strict=True)
            ),
            batch_size=2000,
        )


def main():
    parser = common.arguments(__doc__)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    # Production settings (DEBUG off), served in this process: no TLS in front, no second factor for the signed-in
    # staff session, static files unhashed (as bench/outcomes.py).
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    common.setup_django("ccpt_bench_search", args.fresh, client=True)

    from django.db import connection
    from django.test import override_settings

    from grants.search.models import SearchDocument
    from grants.search.services.index import rebuild

    started = time.perf_counter()
    build()
    print(f"data ready in {time.perf_counter() - started:.1f} s")
    if SearchDocument.objects.filter(vector__isnull=False).count() < SIZE:
        started = time.perf_counter()
        indexed = rebuild()
        print(f"search documents built in {time.perf_counter() - started:.1f} s ({indexed:,} applications)")
    common.analyze(vacuum=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
        print(f"search documents with their index: {cursor.fetchone()[0]}; load {common.load_average()}")

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(SECURE_SSL_REDIRECT=False, CCPT_REQUIRE_STAFF_2FA=False, STORAGES=storages):
        measure(args.requests)


def measure(requests: int) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    client = Client()
    client.force_login(common.staff_account())
    url = reverse("search:search")
    queries = {
        "two words": {"q": "health pathways"},
        "two words, filtered (round, sector)": {"q": "health pathways", "sector": "health"},
        "a rare word": {"q": RARE},
        "a common word": {"q": "students"},
        "a phrase and an exclusion": {"q": '"college credit" -welding'},
    }
    round_id = str(common.existing_round(CODES[0], SIZE, lambda r: SIZE).pk)
    queries["two words, filtered (round, sector)"]["round"] = round_id
    print(f"/search/ as program staff over {SIZE:,} applications, {requests} requests each after warm-up:")
    for label, params in queries.items():
        for _ in range(5):
            client.get(url, params)
        cpu = []
        timings = common.timed(lambda params=params: common.check(client.get(url, params)), requests, cpu=cpu)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, params)
        (p50, p95), (cpu50, _) = common.median_p95_ms(timings), common.median_p95_ms(cpu)
        matches = re.search(r"([\d,]+) applications? match", response.content.decode()).group(1)
        print(
            f"  {label} ({params['q']!r}): p50 {p50:.1f} ms  p95 {p95:.1f} ms  queries {len(captured)}"
            f"  matches {matches}  (Python CPU p50 {cpu50:.1f} ms; target p95 < 100 ms)"
        )


if __name__ == "__main__":
    main()
