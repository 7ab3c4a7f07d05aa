"""Scoring a round: readers' totals, the normalized score, discrepancies, bonus, the fundable line and ranks.

Which reviews count: a SUBMITTED review of an application that is still submitted, whose assignment is still
active (assigned or accepted), and whose reader has no conflict with the application today. A review of a
declined or removed assignment never counts, whatever the reason it ended, and a conflict found after a reader
submitted drops that reader's review as well (the rule of grants.services.conflicts, checked in SQL by
in_conflict below). Once a round's results are published its scores are frozen: later runs change nothing.

How a score is made, per application (the same text is on the score dashboard, scoring/_method.html):
- total of a review = sum over criteria of points x criterion weight, added up by the database;
- mean = the mean of its readers' totals; spread = highest total - lowest; flagged when spread > the round's
  discrepancy threshold (strictly greater: a spread equal to the threshold is not flagged);
- normalized: every reader's totals are standardized against all that reader's totals in the round,
  z = (total - reader's mean) / reader's standard deviation, and mapped back to the point scale with the round's
  mean M and standard deviation S of all counted totals: M + S x z. The application's normalized score is the
  mean of its readers' mapped totals, clamped to [0, rubric maximum]. Standard deviations are population ones
  (divide by n): a reader's totals in the round are all of their readings, not a sample of them.
  Degenerate readers: one review only -> the total is used as it is (one reading cannot tell a severe reader from
  a weak application); two or more equal totals -> the reader's severity is known (their mean) but they expressed
  no preference, so their totals are shifted by their mean offset (total - (reader's mean - M)), which puts each
  at the round mean M, exactly where z = 0 would;
- bonus = the bonus points of competitive priorities (used for bonus) that staff confirmed;
- final = (the current consensus score, if staff recorded one, else the normalized score or the mean as the round
  ranks by) + bonus; fundable = final >= the round's minimum fundable score;
- a later stage of the round (an interview stage, grants.interviews, through stages.py) may then combine its own
  score into final and rank some applications ahead of the rest, or break ties;
- rank in the round and in each funding category: by final (highest first), then the number of tie-break
  priorities confirmed, then the mean, then the earlier submission, then the application number. The last
  tie-break is unique, so the order is total and ranks run 1..n with no shared places (standard competition
  ranking over the whole tie-break order). Applications without a counted review get readers = 0, no final score
  and no rank (even when a consensus was recorded: it waits for the readers).

Arithmetic is Decimal throughout (28 significant digits, square roots by Decimal.sqrt), over totals sorted by
review id, so that two runs give the same digits; stored values are quantized to 0.01, half up.
"""

import logging
from collections import defaultdict
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import NamedTuple

from django.db import connection, transaction
from django.db.models import DecimalField, Exists, F, Min, OuterRef, Q, Sum
from django.utils import timezone

from consortia.models import Affiliation, Membership
from grants.applications.models import Application
from grants.programs.models import CompetitivePriority, Round

from ..models import ApplicationScore, Assignment, Conflict, PriorityClaim, Reconciliation, Review, Score
from . import stages

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
ZERO = Decimal("0")
# Points carry one decimal and weights two, so weighted sums are exact with three.
TOTAL_FIELD = DecimalField(max_digits=14, decimal_places=3)
# Sorts an application with no submission time after every other.
LATEST = datetime.max.replace(tzinfo=UTC)

# Every column the service writes, the unique application first.
SCORE_FIELDS = [
    "application_id",
    "round_id",
    "readers",
    "raw_mean",
    "normalized",
    "spread",
    "flagged",
    "consensus",
    "bonus",
    "final",
    "finalist",
    "reading",
    "interview",
    "fundable",
    "rank",
    "category_rank",
    "ranked_in_round",
    "ranked_in_category",
    "computed_at",
]


def q(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(CENT, rounding=ROUND_HALF_UP)


class ReviewTotal(NamedTuple):
    review_id: int
    application_id: int
    reader_id: int
    total: Decimal


class ReaderScale(NamedTuple):
    """What the round knows of one reader's severity: how many totals, their mean and standard deviation."""

    count: int
    mean: Decimal
    deviation: Decimal


def _submitted_scores(applications):
    """The scores of the submitted reviews of active assignments of these applications, while they are submitted:
    what counts, but for the readers in conflict."""
    return Score.objects.filter(
        review__status=Review.Status.SUBMITTED,
        review__assignment__status__in=Assignment.ACTIVE,
        review__assignment__application__in=applications,
        review__assignment__application__status=Application.Status.SUBMITTED,
    )


def counted_scores_of(application: Application):
    """The scores of one application's counted reviews (those counted_reviews counts), its readers in conflict left
    out in the same query: for a page about one application.

    The rule of in_conflict() with this application's consortium and lead agency as values rather than references
    to the outer query, which Django builds in half the time (a test holds the two to the same answers)."""
    if application.status != Application.Status.SUBMITTED:
        return Score.objects.none()
    consortium, lead = application.consortium_id, application.consortium.lead_agency_id
    members = Membership.objects.filter(consortium_id=consortium).values("organization_id")
    tied = Q(organization_id=lead) | Q(organization_id__in=members)
    return (
        Score.objects.filter(
            review__status=Review.Status.SUBMITTED,
            review__assignment__status__in=Assignment.ACTIVE,
            review__assignment__application_id=application.pk,
        )
        .exclude(review__assignment__reader_id__in=Affiliation.objects.filter(tied).values("user_id"))
        .exclude(
            review__assignment__reader_id__in=Conflict.objects.filter(Q(consortium_id=consortium) | tied).values(
                "reader_id"
            )
        )
    )


def counted_reviews(applications) -> "list[ReviewTotal]":
    """Each counted review of these applications with its weighted total, sorted by review id: one aggregate
    query for the totals and one for the readers in conflict (a round's worth of readers is quicker left out
    afterwards than in SQL)."""
    rows = (
        _submitted_scores(applications)
        .values("review_id")
        # Grouped by review alone; a review has one application and one reader, so MIN just reads them.
        .annotate(
            total=Sum(F("points") * F("criterion__weight"), output_field=TOTAL_FIELD),
            application=Min("review__assignment__application_id"),
            reader=Min("review__assignment__reader_id"),
        )
        .values_list("review_id", "application", "reader", "total")
        .order_by("review_id")
    )
    conflicted = set(
        Assignment.objects.filter(
            status__in=Assignment.ACTIVE,
            application__in=applications,
            application__status=Application.Status.SUBMITTED,
            review__status=Review.Status.SUBMITTED,
        )
        .filter(in_conflict())
        .values_list("reader_id", "application_id")
    )
    return [
        ReviewTotal(review_id, application_id, reader_id, Decimal(total if total is not None else 0))
        for review_id, application_id, reader_id, total in rows
        if (reader_id, application_id) not in conflicted
    ]


def in_conflict() -> Q:
    """On an Assignment query: its reader is in conflict with its application today.

    The rule of grants.services.conflicts written as SQL (a test holds the two to the same answers), so that a
    round of any size is checked in one query: the reader is affiliated with the lead agency or a member of the
    consortium, or a declared or staff-recorded conflict names the consortium, its lead agency or a member.
    """
    reader = OuterRef("reader_id")
    consortium = OuterRef("application__consortium_id")
    lead = OuterRef("application__consortium__lead_agency_id")
    return (
        Exists(Affiliation.objects.filter(user_id=reader, organization_id=lead))
        | Exists(Affiliation.objects.filter(user_id=reader, organization__memberships__consortium_id=consortium))
        | Exists(Conflict.objects.filter(reader_id=reader, consortium_id=consortium))
        | Exists(Conflict.objects.filter(reader_id=reader, organization_id=lead))
        | Exists(Conflict.objects.filter(reader_id=reader, organization__memberships__consortium_id=consortium))
    )


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values)


def _deviation(values: list[Decimal], mean: Decimal) -> Decimal:
    """Population standard deviation."""
    return (sum(((v - mean) ** 2 for v in values), ZERO) / len(values)).sqrt()


def reader_scales(totals: list[ReviewTotal]) -> dict[int, ReaderScale]:
    by_reader: dict[int, list[Decimal]] = defaultdict(list)
    for t in totals:
        by_reader[t.reader_id].append(t.total)
    scales = {}
    for reader_id, values in by_reader.items():
        mean = _mean(values)
        scales[reader_id] = ReaderScale(len(values), mean, _deviation(values, mean))
    return scales


def normalize(total: Decimal, scale: ReaderScale, round_mean: Decimal, round_deviation: Decimal) -> Decimal:
    """One reader's total on the round's scale, with that reader's severity removed (see the module docstring)."""
    if scale.count < 2:
        return total
    if scale.deviation == 0:
        return total - (scale.mean - round_mean)
    return round_mean + round_deviation * (total - scale.mean) / scale.deviation


def current_consensus(applications) -> dict[int, Decimal]:
    """{application id: consensus total} for applications whose latest consensus record was not cleared."""
    latest: dict[int, Reconciliation] = {}
    records = Reconciliation.objects.filter(
        application__in=applications,
        action__in=[Reconciliation.Action.CONSENSUS, Reconciliation.Action.CLEARED],
    ).order_by("at", "pk")
    for record in records.only("application_id", "action", "consensus_total", "at"):
        latest[record.application_id] = record
    return {
        app_id: record.consensus_total
        for app_id, record in latest.items()
        if record.action == Reconciliation.Action.CONSENSUS
    }


def _priorities(applications) -> tuple[dict[int, Decimal], dict[int, int]]:
    """{application id: bonus points}, {application id: number of tie-break priorities confirmed}."""
    bonus: dict[int, Decimal] = defaultdict(lambda: ZERO)
    tie_breaks: dict[int, int] = defaultdict(int)
    claims = PriorityClaim.objects.filter(application__in=applications).values_list(
        "application_id", "priority__use", "priority__bonus_points"
    )
    for app_id, use, points in claims:
        if use == CompetitivePriority.Use.BONUS:
            bonus[app_id] += points
        else:
            tie_breaks[app_id] += 1
    return bonus, tie_breaks


def rubric_maximum_of(criteria) -> Decimal:
    """rubric_maximum from the round's criteria when a page has them already: the same sum, without a query."""
    return sum((c.max_points * c.weight for c in criteria), Decimal("0"))


def rubric_maximum(round_id: int) -> Decimal:
    total = Round.objects.filter(pk=round_id).aggregate(
        total=Sum(F("criteria__max_points") * F("criteria__weight"), output_field=TOTAL_FIELD)
    )["total"]
    return Decimal(total or 0)


@transaction.atomic
def score_round(*, round_id: int) -> int:
    """Recompute the scores and ranks of every submitted application in the round; returns how many rows were
    written. Safe to run twice (same values) and at once: runs serialize on the round's row lock.

    Once the round's results are published its scores are frozen: a late run changes nothing and returns 0.
    """
    round_ = Round.objects.select_for_update().filter(pk=round_id).first()
    if round_ is None:
        logger.info("Round %s no longer exists; nothing to score", round_id)
        return 0
    if round_.results_published_at is not None:
        logger.info("Round %s: results are published, scores left as they are", round_id)
        return 0
    maximum = rubric_maximum(round_id)
    applications = Application.objects.filter(round_id=round_id, status=Application.Status.SUBMITTED)
    apps = list(applications.values("pk", "category_id", "submitted_at", "number"))

    totals = counted_reviews(applications)
    by_app: dict[int, list[ReviewTotal]] = defaultdict(list)
    for t in totals:
        by_app[t.application_id].append(t)
    consensus = current_consensus(applications)
    bonus, tie_breaks = _priorities(applications)

    now = timezone.now()
    rows: dict[int, dict] = {}
    with localcontext() as context:
        context.prec = 28
        scales = reader_scales(totals)
        all_totals = [t.total for t in totals]
        round_mean = _mean(all_totals) if all_totals else ZERO
        round_deviation = _deviation(all_totals, round_mean) if all_totals else ZERO
        for app in apps:
            readings = by_app.get(app["pk"], [])
            row = dict.fromkeys(SCORE_FIELDS)
            row.update(
                application_id=app["pk"],
                round_id=round_id,
                readers=len(readings),
                flagged=False,
                finalist=False,
                fundable=False,
                consensus=q(consensus.get(app["pk"])),
                bonus=q(bonus[app["pk"]]),
                computed_at=now,
            )
            if readings:
                values = [r.total for r in readings]
                mapped = [normalize(r.total, scales[r.reader_id], round_mean, round_deviation) for r in readings]
                row["raw_mean"] = q(_mean(values))
                row["normalized"] = q(min(max(_mean(mapped), ZERO), maximum))
                row["spread"] = q(max(values) - min(values))
                row["flagged"] = row["spread"] > round_.discrepancy_threshold
                if row["consensus"] is not None:
                    base = row["consensus"]
                else:
                    base = row["normalized"] if round_.rank_by == "normalized" else row["raw_mean"]
                row["final"] = q(base + row["bonus"])
                row["fundable"] = row["final"] >= round_.minimum_fundable_score
            rows[app["pk"]] = row

    stages.apply(round_=round_, rows=rows)
    _rank(rows, apps, tie_breaks)
    ApplicationScore.objects.filter(round_id=round_id).exclude(
        application__status=Application.Status.SUBMITTED
    ).delete()
    _write(list(rows.values()))
    logger.info("Scored %s applications in round %s (%s counted reviews)", len(rows), round_id, len(totals))
    return len(rows)


def _rank(rows: dict[int, dict], apps: list[dict], tie_breaks: dict[int, int]) -> None:
    """Set rank and category_rank on the rows that have a final score, in the documented tie-break order, and on
    every row how many are ranked in the round and in its category."""

    def order(app: dict):
        row = rows[app["pk"]]
        return (
            -row.get(stages.AHEAD, 0),
            -row["final"],
            -row.get(stages.TIE_BREAK, ZERO),
            -tie_breaks.get(app["pk"], 0),
            -row["raw_mean"],
            app["submitted_at"] or LATEST,
            app["number"],
        )

    ranked = sorted((a for a in apps if rows[a["pk"]]["final"] is not None), key=order)
    per_category: dict[int, int] = defaultdict(int)
    for position, app in enumerate(ranked, start=1):
        per_category[app["category_id"]] += 1
        rows[app["pk"]]["rank"] = position
        rows[app["pk"]]["category_rank"] = per_category[app["category_id"]]
    for app in apps:
        rows[app["pk"]]["ranked_in_round"] = len(ranked)
        rows[app["pk"]]["ranked_in_category"] = per_category[app["category_id"]]


def _write(rows: list[dict]) -> None:
    """Insert or update one ApplicationScore per row, in one statement.

    On PostgreSQL: INSERT ... SELECT FROM unnest(one array per column) ON CONFLICT DO UPDATE, the statement
    bulk_create(update_conflicts=True) sends there, without building 10,000 model instances, and sent through a
    server-side-binding psycopg cursor on Django's connection (same transaction): Django's cursors bind on the
    client, spelling 140,000 values out as SQL text for the server to parse. Together that cut a 10,000-application
    round's write from about half of its time to a fifth. The statement does not appear in Django's query log.
    Elsewhere (SQLite), bulk_create.
    """
    if not rows:
        return
    if connection.vendor != "postgresql":
        ApplicationScore.objects.bulk_create(
            [ApplicationScore(**{f: row[f] for f in SCORE_FIELDS}) for row in rows],
            update_conflicts=True,
            unique_fields=["application"],
            update_fields=[f.removesuffix("_id") for f in SCORE_FIELDS if f != "application_id"],
        )
        return
    import psycopg

    fields = [ApplicationScore._meta.get_field(name.removesuffix("_id")) for name in SCORE_FIELDS]
    columns = [connection.ops.quote_name(f.column) for f in fields]
    arrays = ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields)
    updates = ", ".join(f"{column} = EXCLUDED.{column}" for column in columns[1:])
    # Names and types come from the model's metadata; every value is a parameter.
    table = connection.ops.quote_name(ApplicationScore._meta.db_table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT * FROM unnest({arrays}) "  # noqa: S608
    sql += f"ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, [[row[name] for row in rows] for name in SCORE_FIELDS])
