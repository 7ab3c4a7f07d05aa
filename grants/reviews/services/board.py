"""What the staff pages of review show: the assignment board, readers' loads and statuses, and every reader's
conflicts with the round's applications; each in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q

from consortia.models import Affiliation, User
from grants.applications.models import Application, long_texts
from grants.programs.models import Round

from ..models import Assignment, Conflict, Review
from . import conflicts, rereading
from .assignment import reader_pool

ACTIVE = Assignment.ACTIVE
S = Assignment.Status


@dataclass
class ReaderConflicts:
    """One reader's conflicts as the conflicts page shows them: each source with the round's applications it hits."""

    reader: User
    affiliations: list[tuple[Affiliation, list[Application]]] = field(default_factory=list)
    recorded: list[tuple[Conflict, list[Application]]] = field(default_factory=list)

    @property
    def applications(self) -> list[Application]:
        found = {a.pk: a for _, apps in self.affiliations + self.recorded for a in apps}
        return sorted(found.values(), key=lambda a: a.number)


def conflicts_overview(*, round_: Round, readers=None) -> list[ReaderConflicts]:
    """The readers (a page of the pool; the whole pool by default) with their affiliations and recorded conflicts,
    in a fixed number of queries.

    Only the applications their organizations and consortia hit are read (numbers only), not the whole round."""
    readers = list(
        (reader_pool() if readers is None else readers).prefetch_related(
            "affiliations__organization", "conflicts__consortium", "conflicts__organization", "conflicts__recorded_by"
        )
    )
    conflicts = [c for reader in readers for c in reader.conflicts.all()]
    organizations = {a.organization_id for reader in readers for a in reader.affiliations.all()}
    organizations |= {c.organization_id for c in conflicts if c.organization_id}
    consortia = {c.consortium_id for c in conflicts if c.consortium_id}
    apps = Application.objects.submitted().filter(round=round_).only("pk", "number", "consortium_id").order_by("number")
    by_organization: dict[int, dict[int, Application]] = defaultdict(dict)
    by_consortium: dict[int, list[Application]] = defaultdict(list)
    if organizations:
        # An organization hits the applications of the consortia it leads and of those it is a member of.
        for path in ("consortium__lead_agency_id", "consortium__memberships__organization_id"):
            for app in apps.filter(**{f"{path}__in": organizations}).annotate(organization_id=F(path)):
                by_organization[app.organization_id].setdefault(app.pk, app)
    if consortia:
        for app in apps.filter(consortium_id__in=consortia):
            by_consortium[app.consortium_id].append(app)

    def hit_by(organization_id: int) -> list[Application]:
        return sorted(by_organization.get(organization_id, {}).values(), key=lambda a: a.number)

    overview = []
    for reader in readers:
        row = ReaderConflicts(reader=reader)
        row.affiliations = [(a, hit_by(a.organization_id)) for a in reader.affiliations.all()]
        row.recorded = [
            (c, by_consortium.get(c.consortium_id, []) if c.consortium_id else hit_by(c.organization_id))
            for c in reader.conflicts.all()
        ]
        overview.append(row)
    return overview


READER_STATUS = {
    S.ASSIGNED: "Awaiting attestation",
    S.ACCEPTED: "Attested",
    S.DECLINED: "Declined: conflict declared",
    S.REMOVED: "Removed",
}


def reader_status(assignment: Assignment) -> str:
    """Where a reader stands on one application; the review is expected to be select_related."""
    if assignment.status == S.ACCEPTED:
        try:
            review = assignment.review
        except Review.DoesNotExist:
            review = None
        if review is not None:
            return "Review submitted" if review.status == Review.Status.SUBMITTED else "Review draft"
    return READER_STATUS[assignment.status]


def reader_loads(*, round_: Round):
    """The reader pool with their work in this round, in one query."""
    in_round = Q(assignments__application__round=round_)
    active = in_round & Q(assignments__status__in=ACTIVE)
    return reader_pool().annotate(
        load=Count("assignments", filter=active),
        awaiting=Count("assignments", filter=in_round & Q(assignments__status=S.ASSIGNED)),
        submitted=Count("assignments", filter=active & Q(assignments__review__status=Review.Status.SUBMITTED)),
        declined=Count("assignments", filter=in_round & Q(assignments__status=S.DECLINED)),
    )


def eligible_readers(*, application: Application) -> tuple[list, dict]:
    """Readers staff may assign to this application (with their load in the round), and those in conflict.

    Returns ([reader with .load, ...], {reader: reason}). Fixed number of queries.
    """
    # Only the load is shown beside each name: counted without the review of each assignment.
    active = Q(assignments__application__round=application.round_id, assignments__status__in=ACTIVE)
    readers = reader_pool().annotate(load=Count("assignments", filter=active))
    pool = list(readers.order_by("last_name", "first_name", "email"))
    conflicted = conflicts.conflicted_pairs(
        applications=Application.objects.filter(pk=application.pk), reader_ids=[r.pk for r in pool]
    )
    taken = set(
        Assignment.objects.filter(application=application, status__in=[*ACTIVE, S.DECLINED]).values_list(
            "reader_id", flat=True
        )
    )
    if application.round.results_published_at is not None and (since := rereading.reopened_at(application)):
        taken |= rereading.original_readers(application, since)  # a new reading is by new readers
    eligible = [r for r in pool if (r.pk, application.pk) not in conflicted and r.pk not in taken]
    in_conflict = {r: conflicted[(r.pk, application.pk)] for r in pool if (r.pk, application.pk) in conflicted}
    return eligible, in_conflict


@dataclass
class BoardRow:
    application: Application
    readers: list[tuple[Assignment, str]]  # active assignments with their status
    ended: list[tuple[Assignment, str]]  # declined or removed, with their status
    missing: int
    conflicted: list[str]  # readers in the pool who are in conflict with the application


def board_applications(*, round_: Round, needing_only: bool = False):
    """The round's submitted applications with their assignments, for the assignment board; with `needing_only`,
    those with fewer active readers than the round needs. (Counted only to filter: a page of applications is then
    read without grouping every application of the round first.)"""
    apps = (
        round_.applications.submitted()
        .select_related("consortium", "category")
        .defer(*long_texts())
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reader", "review").order_by("assigned_at", "pk"),
            )
        )
        .order_by("number")
    )
    if needing_only:
        apps = apps.annotate(active_readers=Count("assignments", filter=Q(assignments__status__in=ACTIVE))).filter(
            active_readers__lt=round_.readers_per_application
        )
    return apps


def board_rows(*, round_: Round, applications) -> list[BoardRow]:
    """One row per application (from board_applications), with conflicts, in a fixed number of queries."""
    applications = list(applications)
    names = {r.pk: str(r) for r in reader_pool().only("pk", "first_name", "last_name", "email")}
    conflicted = conflicts.conflicted_pairs(
        applications=Application.objects.filter(pk__in=[a.pk for a in applications]), reader_ids=list(names)
    )
    in_conflict: dict[int, list[str]] = defaultdict(list)
    for reader_id, app_id in conflicted:
        in_conflict[app_id].append(names[reader_id])
    rows = []
    for app in applications:
        assignments = list(app.assignments.all())
        # A conflict found after the assignment (a new affiliation) hides the application from the reader;
        # staff see it here and replace the reader.
        readers = [
            (a, reader_status(a) + (" (in conflict: replace)" if (a.reader_id, app.pk) in conflicted else ""))
            for a in assignments
            if a.status in ACTIVE
        ]
        rows.append(
            BoardRow(
                application=app,
                readers=readers,
                ended=[(a, reader_status(a)) for a in assignments if a.status not in ACTIVE],
                missing=max(0, round_.readers_per_application - len(readers)),
                conflicted=sorted(in_conflict[app.pk]),
            )
        )
    return rows


def board_summary(*, round_: Round) -> dict:
    apps = round_.applications.submitted().annotate(
        active_readers=Count("assignments", filter=Q(assignments__status__in=ACTIVE))
    )
    counts = apps.aggregate(
        applications=Count("pk"), needing=Count("pk", filter=Q(active_readers__lt=round_.readers_per_application))
    )
    return {**counts, "assignments": Assignment.objects.active().filter(application__round=round_).count()}
