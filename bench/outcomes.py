"""The figures of issue 11: the outcomes dashboard over about 115,000 values, the long-form CSV export of them, and
a 30-member consortium's report form (render and save).

Builds, in its own PostgreSQL database (ccpt_bench_outcomes, or BENCH_DATABASE_NAME, on the server DATABASE_URL
names), --awards accepted awards (default 80) of a round with a four-year grant period, each to a consortium of
--members member organizations (default 30: K-12 districts, community colleges, employers and a nonprofit), on
--indicators indicators (default 12: counts and rates, reported by every member). Each award's four annual reports
are filled in, submitted and accepted through the site's own services (grants/reporting/services/reports.py), so
80 x 30 x 12 x 4 = 115,200 values. --reuse keeps a database that already holds a build of that size.

Then, in this process through Django's test client (the whole middleware stack and the templates; no HTTP server),
as program staff: the dashboard --requests times (after --warmups), p50 and p95 and its queries; the same at a
quarter of the awards (a second program holding 20 of them is not built: the query count is the same at any size,
asserted in tests/outcomes); the CSV export of every value, streamed to the end, its time and the peak memory
Python allocated while streaming it (tracemalloc); as a consortium's lead contact, a 30-member report's page
rendered and saved (every value changed each time) --requests times.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/outcomes.py [--reuse]
"""

import os
import random
import secrets
import sys
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal

import common

CODE = "bench-outcomes"


def build(awards: int, members: int, indicators: int, seed: int) -> None:
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from consortia.models import Contact, Membership, Organization, User
    from consortia.roles import Role
    from grants.applications.models import Application
    from grants.awards.models import Award, FundingPlan, Instalment
    from grants.reporting.models import IndicatorVersion
    from grants.reporting.services import data_managers, reports, review, values
    from grants.reporting.services.indicators import define_indicator
    from grants.reporting.services.plans import save_plan

    rng = random.Random(seed)
    now = timezone.now()
    staff = common.staff_account(first_name="Bench", last_name="Staff")
    round_ = common.make_round(CODE, "Outcomes benchmark round", now=now, status="decided", grant_years=4)
    round_.grant_start_year = 2021
    round_.save(update_fields=["grant_start_year"])
    (category,) = common.funding_categories(round_, [("Up to $15,000,000", "15000000", awards)])
    kinds = [Organization.Kind.COMMUNITY_COLLEGE] * 4 + [Organization.Kind.BUSINESS] * 6 + [Organization.Kind.NONPROFIT]
    organizations, consortia = common.make_consortia(
        awards, "Bench member {i}", "Bench consortium {i}", per_consortium=members, memberships=True
    )
    for i, organization in enumerate(organizations):
        position = i % members
        if 0 < position <= len(kinds):
            organization.kind = kinds[position - 1]
    Organization.objects.bulk_update(organizations, ["kind"], batch_size=1000)
    memberships = list(Membership.objects.filter(organization__in=organizations).select_related("organization"))
    for membership in memberships:
        membership.role = Membership.role_for(membership.organization.kind)
    Membership.objects.bulk_update(memberships, ["role"], batch_size=1000)
    versions = []
    for i in range(indicators):
        rate = i % 4 == 3
        versions.append(
            define_indicator(
                program=round_.program,
                code=f"bench-{i:02d}",
                name=f"Bench indicator {i}",
                definition="Counted for the benchmark.",
                unit=IndicatorVersion.Unit.RATE if rate else IndicatorVersion.Unit.COUNT,
                numerator="Those who met it." if rate else "",
                denominator="Those who could." if rate else "",
                reporters=["any"],
                breakdowns=[],
            )
        )
    save_plan(
        round_=round_, indicator_ids=[v.indicator_id for v in versions], due_month=9, due_day=30, due_hour=17, by=staff
    )
    plan = FundingPlan.objects.create(round=round_, status="approved", created_by=staff, approved_at=now)
    applicants = Group.objects.get(name=Role.APPLICANT)
    started = time.perf_counter()
    for i, consortium in enumerate(consortia):
        lead = User.objects.create(email=f"bench-lead-{i}@example.org", first_name="Lead", last_name=str(i))
        lead.groups.add(applicants)
        Contact.objects.create(consortium=consortium, user=lead, role=Contact.Role.LEAD)
        application = Application.objects.create(
            round=round_,
            consortium=consortium,
            category=category,
            number=f"BO-{i:04d}",
            status="submitted",
            requested_amount=Decimal("4000000.00"),
            created_by=lead,
        )
        award = Award.objects.create(
            round=round_,
            application=application,
            consortium=consortium,
            category=category,
            plan=plan,
            number=f"BO-AW-{i:04d}",
            amount=Decimal("4000000.00"),
            start_year=2021,
            years=4,
            status=Award.Status.ACTIVE,
            offered_at=now - timedelta(days=2000),
        )
        Instalment.objects.bulk_create(
            Instalment(award=award, fiscal_year=year, amount=Decimal("1000000.00")) for year in award.fiscal_years
        )
        members_of = data_managers.member_organizations(consortium)
        allowed = {m.pk for m in members_of}
        for report in reports.open_reports(award):
            entries = [
                values.Entry(str(m.pk), v.indicator.code, numerator=str(n), denominator=str(n + rng.randint(1, 40)))
                if v.unit == "rate"
                else values.Entry(str(m.pk), v.indicator.code, value=str(rng.randint(0, 900)))
                for m in members_of
                for v in versions
                for n in [rng.randint(0, 400)]
            ]
            outcome = values.enter_values(report=report, entries=entries, by=lead, allowed=allowed)
            assert not outcome.problems, outcome.messages[:3]
            report.progress = "Benchmark."
            report.save(update_fields=["progress"])
            review.submit(report=report, by=lead, now=report.due_at - timedelta(days=rng.randint(-10, 30)))
            review.accept_report(report=report, by=staff)
        if i % 10 == 9:
            print(f"  {i + 1} awards built ({time.perf_counter() - started:.0f} s)", flush=True)
    common.analyze(vacuum=True)


def queries_of(function) -> int:
    """How many SQL statements one call of `function` runs (the request's own: session, person and page)."""
    from django.db import connection

    count = [0]

    def counted(execute, sql, params, many, context):
        count[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counted):
        function()
    return count[0]


def form_report(round_):
    """A draft report of the first award for the form's figures: a report staff asked for (the annual ones stay
    accepted, and the dashboard's figures as built), filled in with the last annual report's values."""
    from django.utils import timezone

    from grants.reporting.models import ProgressReport, ReportValue
    from grants.reporting.services import data_managers, values
    from grants.reporting.services.plans import ask_for_report

    award = round_.awards.order_by("number").first()
    draft = award.progress_reports.filter(extra__isnull=False).first()
    if draft is None:
        ask_for_report(
            round_=round_,
            title="Benchmark form",
            due_at=timezone.now() + timedelta(days=365),
            by=common.staff_account(),
        )
        draft = award.progress_reports.get(extra__isnull=False)
        last = award.progress_reports.filter(extra__isnull=True, status=ProgressReport.Status.ACCEPTED).last()
        entries = [
            values.Entry(
                str(v.organization_id),
                v.indicator.code,
                value="" if v.value is None else str(int(v.value)),
                numerator="" if v.numerator is None else str(v.numerator),
                denominator="" if v.denominator is None else str(v.denominator),
            )
            for v in ReportValue.objects.filter(report=last).select_related("indicator")
        ]
        members = {m.pk for m in data_managers.member_organizations(award.consortium)}
        lead = last.submitted_by
        assert not values.enter_values(report=draft, entries=entries, by=lead, allowed=members).problems
    return draft


def measure(requests: int, warmups: int, members: int) -> None:
    from django.test import Client
    from django.urls import reverse

    from consortia.models import Contact
    from grants.programs.models import Round
    from grants.reporting.models import ReportValue
    from grants.reporting.services import data_managers, reports

    round_ = Round.objects.get(code=CODE)
    program = round_.program
    values = ReportValue.objects.filter(report__award__round=round_).count()
    print(f"\n{values:,} values in {round_.awards.count()} awards; load {common.load_average()}")
    staff = Client()
    staff.force_login(common.staff_account())
    url = reverse("outcomes:dashboard", args=[program.pk])

    def dashboard():
        common.check(staff.get(url))

    common.timed(dashboard, warmups)
    queries = queries_of(dashboard)
    p50, p95 = common.median_p95_ms(common.timed(dashboard, requests))
    print(f"Outcomes dashboard:        p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries  (target p95 < 150)")
    chosen = staff.get(url, {"indicator": "bench-03", "year": "2023-24"})
    common.check(chosen)
    p50, p95 = common.median_p95_ms(
        common.timed(lambda: common.check(staff.get(url, {"indicator": "bench-03", "year": "2023-24"})), requests)
    )
    print(f"  a rate, another year:    p50 {p50:6.1f} ms  p95 {p95:6.1f} ms")

    export = reverse("outcomes:values-csv", args=[program.pk])

    def download() -> tuple[int, int]:
        size = rows = 0
        for piece in staff.get(export).streaming_content:
            size += len(piece)
            rows += piece.count(b"\n")
        return size, rows

    timings = common.timed(download, 3)
    tracemalloc.start()  # a second pass, for the memory: tracemalloc slows what it watches
    size, rows = download()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"CSV export of every value: best {min(timings):5.2f} s, worst {max(timings):5.2f} s of 3, {rows - 1:,} rows "
        f"({size / 1e6:.1f} MB); peak Python memory while streaming {peak / 1e6:.1f} MB  (target < 3 s, streamed)"
    )

    report = form_report(round_)
    lead_user = Contact.objects.get(consortium=report.award.consortium, role="lead").user
    lead = Client()
    lead.force_login(lead_user)
    page = reverse("reporting:report", args=[report.pk])

    def render():
        common.check(lead.get(page))

    common.timed(render, warmups)
    queries = queries_of(render)
    p50, p95 = common.median_p95_ms(common.timed(render, requests))
    members_count = len(data_managers.member_organizations(report.award.consortium))
    print(
        f"Report form ({members_count} members x {len(reports.report_versions(report))} indicators) renders: "
        f"p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {queries} queries  (target p95 < 150)"
    )
    saved = {(v.organization_id, v.indicator_id): v for v in ReportValue.objects.filter(report=report, breakdown="")}
    turn = [0]

    def save():
        turn[0] += 1
        data = {}
        for (org, ind), v in saved.items():
            if v.numerator is not None:
                data[f"n-{org}-{ind}"] = str(max(0, v.numerator - turn[0] % 2))
                data[f"d-{org}-{ind}"] = str(v.denominator)
            else:
                data[f"v-{org}-{ind}"] = str(int(v.value) + turn[0] % 2)
        response = lead.post(page, data)
        assert response.status_code == 302, response.status_code

    common.timed(save, warmups)
    queries = queries_of(save)
    p50, p95 = common.median_p95_ms(common.timed(save, requests))
    print(
        f"Report form saves ({len(saved)} values, each changed): p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
        f"{queries} queries  (target p95 < 150)"
    )


def main() -> None:
    parser = common.arguments(__doc__)
    parser.add_argument("--awards", type=int, default=80)
    parser.add_argument("--members", type=int, default=30)
    parser.add_argument("--indicators", type=int, default=12)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--warmups", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep a database that holds a complete build")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    # Production settings (DEBUG off), served in this process: no TLS in front, no second factor for the signed-in
    # staff session, static files unhashed (as bench/pages_profile.py).
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(40))
    common.setup_django("ccpt_bench_outcomes", fresh=args.fresh or not args.reuse, broker="memory://", client=True)
    from django.test import override_settings

    from grants.awards.models import Award
    from grants.programs.models import Round

    existing = Round.objects.filter(code=CODE).first()
    if existing is None or Award.objects.filter(round=existing).count() != args.awards:
        if existing is not None:
            sys.exit("The benchmark database holds another build: run again with --fresh.")
        started = time.perf_counter()
        print(f"Building {args.awards} awards x {args.members} members x {args.indicators} indicators x 4 years ...")
        build(args.awards, args.members, args.indicators, args.seed)
        print(f"Built in {time.perf_counter() - started:.0f} s")
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(SECURE_SSL_REDIRECT=False, CCPT_REQUIRE_STAFF_2FA=False, STORAGES=storages):
        measure(args.requests, args.warmups, args.members)


if __name__ == "__main__":
    main()
