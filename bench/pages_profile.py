"""Where one page's time goes, in process: its SQL (with each query's time) and a cProfile of the request, through
Django's test client against a database bench/pages.py built (production settings, DEBUG off, no TLS).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages_profile.py \
        --applications 2000 "application page (applicant)" [--requests 50] [--sql] [--profile 25]

Prints the page's p50 in process (no HTTP, no gunicorn), its queries, and with --sql each query's text and time;
with --profile N, the N functions with the most cumulative time over the requests.
"""

import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time

import common


def main() -> None:
    parser = common.arguments(__doc__, fresh=False)
    parser.add_argument("page", nargs="+", help="a page's label, as bench/pages.py prints it")
    parser.add_argument("--applications", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sql", action="store_true", help="print each query with its time")
    parser.add_argument("--profile", type=int, default=0, help="print the N functions with most cumulative time")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    common.setup_django(f"ccpt_bench_pages_{args.applications}", fresh=False, broker="memory://", client=True)

    import pages_list
    from django.test import override_settings

    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(SECURE_SSL_REDIRECT=False, CCPT_REQUIRE_STAFF_2FA=False, STORAGES=storages):
        f = pages_list.fixture()
        by_label = {page.label: page for page in pages_list.pages(f)}
        for label in args.page:
            profile(by_label[label], f["people"], args)


def _timed_queries(client, url: str) -> list[tuple[float, str]]:
    """Each query of one request of `url`, with its time at the client (the round trip included), in ms."""
    from django.db import connection

    timed = []

    def timer(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timed.append(((time.perf_counter() - started) * 1000, sql))

    with connection.execute_wrapper(timer):
        client.get(url)
    return timed


def profile(page, people: dict, args) -> None:
    from django.test import Client

    client = Client()
    client.force_login(people[page.role])
    for _ in range(5):
        common.check(client.get(page.url))
    times = []
    for _ in range(args.requests):
        started = time.perf_counter()
        client.get(page.url)
        times.append((time.perf_counter() - started) * 1000)
    best = _timed_queries(client, page.url)
    for _ in range(args.requests if args.sql else 0):
        again = _timed_queries(client, page.url)
        best = [(min(ms, other), sql) for (ms, sql), (other, _) in zip(best, again, strict=True)]
    print(f"{label(page)}: p50 {statistics.median(times):.1f} ms in process, {len(best)} queries")
    if args.sql:  # each query's best time over the requests
        for ms, sql in best:
            print(f"  {ms:6.2f} ms  {sql[:300]}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(page.url)
        profiler.disable()
        order = os.environ.get("BENCH_SORT", "cumulative")  # or tottime
        pstats.Stats(profiler, stream=sys.stdout).sort_stats(order).print_stats(args.profile)


def label(page) -> str:
    return page.label


if __name__ == "__main__":
    main()
