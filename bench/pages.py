"""Every staff, reader and applicant page, timed over HTTP against gunicorn, with its SQL queries per request.

Builds a round of --applications submitted applications (200, 2,000 or 10,000; default 2,000) in its own PostgreSQL
database (ccpt_bench_pages_<N>, on the server named by DATABASE_URL) through the site's own services, as people make
them: consortia with members and contacts, applications filled in section by section, uploaded, submitted and
screened, readers assigned, three reviews per application scored and submitted, the round scored and reconciled,
results published, a funding plan built and approved into awards and notices (pages_build.py, pages_apply.py,
pages_review.py; --jobs processes where the site's locks let them overlap, pages_workers.py). Prints how long each
phase took. --reuse keeps a database that already holds a complete build of that size.

Then serves the site with gunicorn (2 sync workers, DEBUG off, hashed static files, a random secret key; the
benchmark's settings module adds a query-counting middleware: pages_http.py, query_count.py), signs in program
staff, an administrator, a reader and a consortium's lead contact (sessions made in the database), and requests
each page (pages_list.py) --warmups times, then --requests times, printing p50 and p95 (ms, wall clock at the
client) and the queries per request beside the issue's targets and Hypha's figures (pages_table.py). --json saves
the figures; --compare a.json b.json ... prints how queries and times grow from one size to the next. --malformed
also damages one submitted snapshot in several ways, fetches the pages that read it, and restores it
(pages_malformed.py). --screenshots DIR opens every page in headless Chromium as its person: screenshots at 1,280
and 390 px and an axe-core check (pages_screens.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/pages.py \
        [--applications 2000] [--requests 30] [--reuse] [--json out.json] [--malformed] [--screenshots DIR]
    .venv/bin/python bench/pages.py --compare bench-200.json bench-2000.json bench-10000.json
"""

import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

import common
import pages_apply
import pages_build
import pages_http as web
import pages_list
import pages_malformed
import pages_review
import pages_screens
import pages_table as report
import pages_workers

PREFIX = "ccpt_bench_pages"


def build(size: int, readers: int, seed: int, jobs: int) -> dict[str, float]:
    """The round, built phase by phase; the seconds of each phase."""
    import random

    from django.db import connection
    from django.db.backends.signals import connection_created
    from django.utils import timezone

    connection_created.connect(pages_workers.no_disk_wait)
    connection.close()  # the next one (and every process's) commits without waiting for the disk
    rng, phases = random.Random(seed), {}

    def phase(name, function, *args):
        started = time.perf_counter()
        result = function(*args)
        phases[name] = time.perf_counter() - started
        print(f"  {name}: {phases[name]:.1f} s", flush=True)
        return result

    def progress(total: int, what: str):
        started, step, last = time.perf_counter(), max(1, total // 10), [0]

        def said(done: int) -> None:
            if done // step > last[0]:
                last[0] = done // step
                rate = done / (time.perf_counter() - started)
                print(f"    {done:,} of about {total:,} {what} ({rate:.1f}/s)", flush=True)

        return said

    drafts, withdrawn = max(1, size // 50), max(1, size // 100)
    admin, staff, pool = phase("people and roles", pages_build.people, readers)
    program, round_ = phase("program and round", pages_build.program_and_round, admin, timezone.now())
    leads, *partners = phase("organizations", pages_build.organizations, size + drafts + withdrawn, rng, staff)
    groups = phase("consortia, members, contacts", pages_apply.consortia, leads, partners, seed, staff, jobs)
    phase("applications", pages_apply.applications, round_, groups, size, seed, staff, jobs)
    phase("review started", pages_review.start_review, round_, staff, pool, partners[0], rng)
    reviews = progress(3 * size, "reviews")
    phase("reading (assigned, attested, scored)", pages_review.read, round_, staff, pool, rng, reviews, jobs)
    phase("reconciliation and priorities", pages_review.reconcile, round_, staff, pool, rng, jobs)
    phase("results, plan, awards, notices, set-aside", pages_review.decide, round_, program, staff, admin, jobs)
    phase("planner statistics", common.analyze, True)
    return phases


def complete(size: int) -> bool:
    """Does the database hold a whole build of `size` (its last step, the set-aside draws, is there)?"""
    from grants.programs.models import Round
    from grants.setaside.models import SetAsideEntry

    round_ = Round.objects.filter(code=pages_build.CODE).first()
    return bool(
        round_
        and round_.applications.submitted().count() == size
        and SetAsideEntry.objects.filter(description__startswith="Bench technical").exists()
    )


def prepare(args, name: str, secret: str, media: Path) -> tuple[str, dict]:
    """Django set up on the benchmark's database, built (or kept with --reuse); its URL and the build's phases."""
    os.environ.update(DJANGO_SECRET_KEY=secret, DJANGO_MEDIA_ROOT=str(media), BENCH_DATABASE_NAME=name)
    os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)  # background work is queued, then run (pages_workers.py)
    url = common.setup_django(name, fresh=not args.reuse, broker="memory://")
    from django.core.management import call_command
    from django.db import connection

    if args.reuse and complete(args.applications):
        print(f"reusing {name}: it holds a complete build of {args.applications:,} applications")
        return url, {}
    from grants.programs.models import Round

    if args.reuse and Round.objects.exists():
        print(f"{name} does not hold a complete build of {args.applications:,} applications: building it again")
        connection.close()
        common.database_url(name, fresh=True)
        call_command("migrate", verbosity=0)
    shutil.rmtree(media, ignore_errors=True)
    print(f"building {args.applications:,} applications with {args.readers} readers in {name}", flush=True)
    started = time.perf_counter()
    phases = build(args.applications, args.readers, args.seed, args.jobs)
    phases["total"] = time.perf_counter() - started
    print(f"built in {phases['total']:.1f} s ({phases['total'] / 60:.1f} min)", flush=True)
    return url, phases


def main():
    parser = common.arguments(__doc__, fresh=False)
    parser.add_argument("--applications", type=int, default=2000, help="submitted applications (200, 2000, 10000)")
    parser.add_argument("--readers", type=int, help="readers in the pool (default: one per 20 applications, >= 30)")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--warmups", type=int, default=3)
    parser.add_argument("--budget", type=float, default=120, help="seconds of timed requests a slow page may take")
    parser.add_argument("--calm", type=float, default=0, help="before each page, wait for a load average under this")
    parser.add_argument("--calm-wait", type=float, default=600, help="but no longer than this many seconds")
    parser.add_argument("--reuse", action="store_true", help="keep a database that holds a complete build")
    parser.add_argument("--json", type=Path, help="save the figures here")
    parser.add_argument("--compare", type=Path, nargs="+", help="compare saved figures (no database needed)")
    parser.add_argument("--malformed", action="store_true", help="also fetch the pages of a damaged snapshot")
    parser.add_argument("--screenshots", type=Path, help="also open each page in Chromium: screenshots, axe here")
    parser.add_argument("--only", default="", help="time only the pages whose label contains this")
    parser.add_argument("--conn-max-age", type=int, default=60, help="DJANGO_CONN_MAX_AGE of the server")
    parser.add_argument("--seed", type=int, default=2014)
    parser.add_argument("--jobs", type=int, default=2, help="processes that build consortia and applications")
    args = parser.parse_args()
    if args.compare:
        report.compare(args.compare)
        return
    args.readers = args.readers or max(30, args.applications // 20)
    name = os.environ.get("BENCH_DATABASE_NAME", f"{PREFIX}_{args.applications}")
    if not name.startswith(PREFIX):
        sys.exit(f"The database's name must start with {PREFIX}.")
    secret = secrets.token_urlsafe(50)
    media = Path(tempfile.gettempdir()) / f"{name}_media"
    url, phases = prepare(args, name, secret, media)

    from consortia.models import User
    from consortia.roles import Role
    from grants.applications.models import Application

    counts = {s: Application.objects.filter(status=s).count() for s in Application.Status.values}
    args.readers = User.objects.filter(groups__name=Role.READER).count()
    fixture = pages_list.fixture()
    scratch = Path(tempfile.mkdtemp(prefix="ccpt-bench-pages-"))
    env = web.environment(url, secret, scratch, media, args.conn_max_age)
    web.collect_static(env)
    sessions = {role: web.signed_in(user) for role, user in fixture["people"].items()}
    server = web.Server(env, scratch / "gunicorn.log")
    server.start()
    print(f"gunicorn on port {server.port} (2 sync workers, CONN_MAX_AGE={args.conn_max_age}); log {server.log}")
    print(f"applications: {counts}; load average {common.load_average()}", flush=True)
    try:
        results = {}
        for page in pages_list.pages(fixture):
            if args.only.lower() not in page.label.lower():
                continue
            load = web.calm(args.calm, args.calm_wait)
            timing = web.measure(
                server.port,
                page.url,
                sessions[page.role],
                args.requests,
                args.warmups,
                scratch / "queries",
                args.budget,
            )
            results[page.label] = report.row(page, timing, load)
            print(report.progress_line(page.label, results[page.label]), flush=True)
        damaged = pages_malformed.malformed(fixture, server, sessions, scratch / "queries") if args.malformed else []
        if args.screenshots:
            chosen = [p for p in pages_list.pages(fixture) if args.only.lower() in p.label.lower()]
            looked = pages_screens.screenshots(server.port, chosen, sessions, args.screenshots)
            (args.screenshots / "pages.json").write_text(report.dumps({"pages": looked}))
    finally:
        server.stop()
    figures = {
        "applications": args.applications,
        "readers": args.readers,
        "counts": counts,
        "requests": args.requests,
        "warmups": args.warmups,
        "budget": args.budget,
        "conn_max_age": args.conn_max_age,
        "build_seconds": phases,
        "load_average": common.load_average(),
        "pages": results,
        "malformed": damaged,
    }
    report.table(figures)
    if args.json:
        args.json.write_text(report.dumps(figures))
        print(f"saved {args.json}")
    if any(r["status"] != 200 for r in results.values()) or any(m["status"] != 200 for m in damaged):
        print(f"the server's log, with the errors: {server.log}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
