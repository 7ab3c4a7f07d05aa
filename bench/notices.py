"""1,000 award and decline notices through a real Redis broker and a real Celery worker that is killed (SIGKILL)
once mid-batch and restarted: every notice must be sent, and the killed worker's work resume within a minute.

Creates its own PostgreSQL database (ccpt_bench_notices, or BENCH_DATABASE_NAME, dropped and rebuilt each run) on
the server named by DATABASE_URL, and 1,000 queued notices: a share of award notices (--award-share, default 0.5:
each award has four instalments, so each of its notices renders the award letter PDF with WeasyPrint) and decline
notices for the rest. Starts `celery -A ccpt worker --pool=solo` with EMAIL_URL=filemail://<a fresh directory>,
on Redis database 9 (--broker), records one background job per notice (ccpt.background, as approving a plan does)
and hands them to the broker on commit, kills the worker with SIGKILL as soon as about 30% of the messages are
written (--kill-delay adds a random wait, for a crash at an arbitrary moment), says which job the killed worker left
unacknowledged and whether its message was already written, restarts the worker, and runs the sweeper every
CCPT_SWEEP_SECONDS as Celery beat does, until every notice is sent (--timeout). Then counts the messages by their
X-CCPT-Notice header (Django's file backend may append two messages to one file) and prints the count, duplicates,
missing notices, the time from the kill until every notice was sent, throughput and elapsed time; exits 1 if any
notice is missing, or duplicated more than the one in flight at the kill.

The worker runs with the project's settings as they are. The killed worker's message stays unacknowledged in Redis
until the transport's visibility timeout (15 minutes); the job it was running is not waiting for that: its lease
(CCPT_JOB_LEASE_SECONDS) ends, and the sweeper hands it to the restarted worker. When that message comes back, it
finds the job done and does nothing. A kill that lands after a message is written but before its transaction
commits sends that notice twice, under the same Message-ID.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ccpt .venv/bin/python bench/notices.py [--notices 1000]
"""

import base64
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import common
from common import ROOT

HEADER = re.compile(r"^X-CCPT-Notice: (.+?)\r?$", re.MULTILINE)
QUEUE, UNACKED = "celery", "unacked"  # kombu's Redis keys for the default queue and unacknowledged messages


def build(count: int, award_share: float) -> list[str]:
    """Queued notices for `count` applications of a decided round; returns their idempotency keys."""
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from consortia.models import Contact, User
    from consortia.roles import Role
    from grants.applications.models import Application
    from grants.awards.models import Award, FundingPlan, Instalment, Notice
    from grants.awards.services.approval import instalment_amounts
    from grants.programs.models import Round

    awards_wanted = round(count * award_share)
    now = timezone.now()
    with transaction.atomic():
        admin = User.objects.create(email="bench-admin@example.org", password="!")
        admin.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        round_ = common.make_round(
            "bench-notices",
            "Benchmark round: notices",
            now=now,
            appropriation=Decimal("250000000"),
            opened_days_ago=90,
            closed_days_ago=30,
            status=Round.Status.DECIDED,
            funds_available=Decimal("247500000.00"),
            grant_years=4,
        )
        (category,) = common.funding_categories(round_, [("Up to $600,000", "600000", count)])
        plan = FundingPlan.objects.create(
            round=round_, status=FundingPlan.Status.APPROVED, created_by=admin, approved_by=admin, approved_at=now
        )
        _, consortia = common.make_consortia(count, "Bench district {i}", "Bench consortium {i}")
        people = User.objects.bulk_create(
            User(email=f"bench-lead{i}@example.org", first_name="Lead", last_name=str(i), password="!")
            for i in range(count)
        )
        Contact.objects.bulk_create(
            Contact(consortium=c, user=p, role=Contact.Role.LEAD) for c, p in zip(consortia, people, strict=True)
        )
        applications = Application.objects.bulk_create(
            common.submitted_application(
                round_,
                c,
                category,
                f"BN-{i:05d}",
                f"Pathways {i}",
                admin,
                now - timedelta(days=31),
                requested_amount=Decimal("600000.00"),
            )
            for i, c in enumerate(consortia)
        )
        awards = Award.objects.bulk_create(
            Award(
                round=round_,
                application=a,
                consortium=a.consortium,
                category=category,
                plan=plan,
                number=f"BN-A{i:04d}",
                amount=Decimal("527123.45"),
                start_year=2026,
                years=4,
                offered_at=now,
            )
            for i, a in enumerate(applications[:awards_wanted])
        )
        Instalment.objects.bulk_create(
            Instalment(award=award, fiscal_year=year, amount=part)
            for award in awards
            for year, part in zip(award.fiscal_years, instalment_amounts(award.amount, award.years), strict=True)
        )
        award_of = {award.application_id: award for award in awards}
        notices = Notice.objects.bulk_create(
            Notice(
                kind=Notice.Kind.AWARD if a.pk in award_of else Notice.Kind.DECLINE,
                application=a,
                award=award_of.get(a.pk),
                idempotency_key=f"bench-{'award' if a.pk in award_of else 'decline'}:{a.pk}",
                requested_by=admin,
            )
            for a in applications
        )
    return [n.idempotency_key for n in notices]


def messages_in(directory: Path) -> Counter:
    """How many messages each X-CCPT-Notice key has in the file backend's directory (one message per file)."""
    keys: Counter = Counter()
    for path in directory.iterdir():
        if path.is_file():
            keys.update(HEADER.findall(path.read_text(errors="replace")))
    return keys


def message_files(directory: Path) -> int:
    return sum(1 for path in directory.iterdir() if path.is_file())


def unacknowledged_jobs(broker) -> list[int]:
    """Job ids of the messages a worker took but never acknowledged (kombu keeps them in a hash)."""
    ids = []
    for raw in broker.hvals(UNACKED):
        message = json.loads(raw)[0]
        body = message["body"]
        if message.get("properties", {}).get("body_encoding") == "base64":
            body = base64.b64decode(body)
        ids.append(json.loads(body)[0][0])
    return ids


class Worker:
    """A `celery -A ccpt worker` subprocess with the benchmark's environment; logs to a file."""

    def __init__(self, env: dict, log: Path):
        self.env, self.log, self.process, self.starts = env, log, None, 0

    def start(self, timeout: float = 60) -> float:
        self.starts += 1
        started = time.monotonic()
        with self.log.open("a") as log:
            log.write(f"\n===== worker start {self.starts} =====\n")
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "ccpt",
                "worker",
                "--pool=solo",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
                f"--hostname=bench-notices-{self.starts}@%h",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("a"),
            stderr=subprocess.STDOUT,
        )
        while time.monotonic() - started < timeout:
            if self.log.read_text(errors="replace").count(" ready.") >= self.starts:
                return time.monotonic() - started
            if self.process.poll() is not None:
                sys.exit(f"The worker exited with {self.process.returncode}; see {self.log}")
            time.sleep(0.1)
        self.process.kill()
        sys.exit(f"The worker did not start within {timeout:.0f} s; see {self.log}")

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        common.stop_process(self.process)


def worker_environment(args, database: str, mail_dir: Path) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": args.broker,
        # django-environ reads "filemail:///tmp/x" as the relative path "tmp/x"; four slashes make it absolute.
        "EMAIL_URL": f"filemail:///{mail_dir.resolve()}",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DJANGO_SECRET_KEY": base64.b64encode(os.urandom(48)).decode(),
    }


def main():  # noqa: PLR0915 - one linear story: build, run, kill, restart, count
    parser = common.arguments(__doc__, fresh=False)
    parser.add_argument("--notices", type=int, default=1000)
    parser.add_argument("--award-share", type=float, default=0.5, help="share of award notices (with a PDF)")
    parser.add_argument("--kill-at", type=float, default=0.3, help="kill the worker once this share is written")
    parser.add_argument(
        "--kill-delay", type=float, default=0, help="then wait a random 0 to this many seconds before the kill"
    )
    parser.add_argument("--broker", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds to wait for every notice")
    parser.add_argument("--keep", action="store_true", help="keep the mail directory and worker log")
    args = parser.parse_args()

    database = common.setup_django("ccpt_bench_notices", fresh=True, broker=args.broker)
    import redis
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from ccpt.background.models import Job
    from ccpt.background.services import later_each, sweep
    from grants.awards.models import Notice

    started = time.perf_counter()
    keys = build(args.notices, args.award_share)
    awards = Notice.objects.filter(kind=Notice.Kind.AWARD).count()
    print(
        f"{len(keys):,} notices ready ({awards:,} award notices with a PDF letter, {len(keys) - awards:,} decline) "
        f"in {time.perf_counter() - started:.1f} s"
    )

    broker = redis.Redis.from_url(args.broker)
    broker.flushdb()
    scratch = Path(tempfile.mkdtemp(prefix="ccpt-bench-notices-"))
    mail_dir = scratch / "mail"
    mail_dir.mkdir()
    worker = Worker(worker_environment(args, database, mail_dir), scratch / "worker.log")
    print(f"mail directory: {mail_dir}")
    print(f"worker log: {worker.log}")
    print(
        f"broker: {args.broker}; job lease {settings.CCPT_JOB_LEASE_SECONDS} s, "
        f"sweep every {settings.CCPT_SWEEP_SECONDS} s"
    )

    try:
        worker.start()
        ids = list(Notice.objects.order_by("pk").values_list("pk", flat=True))
        began = time.monotonic()
        with transaction.atomic():
            later_each("grants.awards.tasks.send_notice", [(pk,) for pk in ids])
        print(f"recorded and sent {len(ids):,} jobs in {time.monotonic() - began:.1f} s")

        kill_at = int(len(ids) * args.kill_at)
        deadline = began + args.timeout
        while message_files(mail_dir) < kill_at:
            if time.monotonic() > deadline or worker.process.poll() is not None:
                sys.exit(f"Fewer than {kill_at} messages within {args.timeout:.0f} s; see {worker.log}")
            time.sleep(0.05)
        if args.kill_delay:
            time.sleep(random.uniform(0, args.kill_delay))
        worker.kill()
        killed_at = time.monotonic() - began
        killed_wall = timezone.now()
        written = messages_in(mail_dir)
        in_flight = [Job.objects.get(pk=pk).args[0] for pk in unacknowledged_jobs(broker)]
        print(f"SIGKILL at {killed_at:.1f} s with {sum(written.values())} messages written")
        for pk in in_flight:
            key = Notice.objects.get(pk=pk).idempotency_key
            state = "already written" if written[key] else "not written yet"
            print(f"  the killed worker left notice {key} unacknowledged; its message was {state}")
        downtime = worker.start()
        restarted_at = time.monotonic() - began
        print(f"restarted; ready after {downtime:.1f} s")

        sent, swept_at = 0, 0.0
        while time.monotonic() < deadline:
            sent = Notice.objects.filter(delivery=Notice.Delivery.SENT).count()
            if sent == len(ids):
                break
            if time.monotonic() - swept_at >= settings.CCPT_SWEEP_SECONDS:
                sweep()  # what Celery beat runs every CCPT_SWEEP_SECONDS
                swept_at = time.monotonic()
            time.sleep(0.25)
        all_sent_at = time.monotonic() - began
        while time.monotonic() < deadline and broker.llen(QUEUE):
            time.sleep(0.25)
        drained_at = time.monotonic() - began
    finally:
        worker.stop()

    found = messages_in(mail_dir)
    expected = set(keys)
    duplicates = {key: n for key, n in found.items() if n > 1}
    missing = expected - set(found)
    strangers = set(found) - expected
    failed = Notice.objects.filter(delivery=Notice.Delivery.FAILED).count()
    attempts = list(Notice.objects.values_list("attempts", flat=True))
    print("results:")
    print(
        f"  message files: {message_files(mail_dir):,}; messages with an X-CCPT-Notice header: {sum(found.values()):,}"
    )
    print(f"  distinct notice keys: {len(found):,} of {len(expected):,}")
    print(f"  duplicates: {len(duplicates)}{' ' + str(sorted(duplicates)[:10]) if duplicates else ''}")
    print(f"  missing: {len(missing)}{' ' + str(sorted(missing)[:10]) if missing else ''}")
    print(f"  notices with delivery sent: {sent:,}; failed: {failed}; median attempts {statistics.median(attempts)}")
    if sent < len(ids):
        print(f"  gave up waiting after {all_sent_at:.1f} s (--timeout) with {len(ids) - sent} notice(s) not sent")
    for pk in in_flight:
        taken_over = Notice.objects.get(pk=pk).sent_at - killed_wall
        print(f"  the killed worker's notice {pk} was sent {taken_over.total_seconds():.1f} s after the kill")
    print(f"  recovered: every notice sent {all_sent_at - killed_at:.1f} s after the worker was killed")
    print(
        f"  elapsed: {all_sent_at:.1f} s from the first enqueue to the last notice sent "
        f"(queue empty at {drained_at:.1f} s)"
    )
    print(
        f"  throughput: {len(ids) / all_sent_at:.1f} notices/s overall, including {restarted_at - killed_at:.1f} s "
        f"with no worker and the wait for the killed message's redelivery"
    )
    print(f"  load average: {common.load_average()}")
    # At most the notice in flight at the kill may go twice (see the docstring).
    ok = sum(duplicates.values()) - len(duplicates) <= 1 and not missing and not strangers and sent == len(ids)
    if ok and not args.keep:
        shutil.rmtree(scratch)
    print("OK: every notice sent; none twice but the one in flight." if ok else f"FAILED (files kept in {scratch})")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
