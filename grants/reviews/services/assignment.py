"""Readers for applications: conflicts recorded by staff, assignment by hand or automatically, removal, reminders.

Automatic assignment tops every submitted application of a round up to round.readers_per_application active
readers, least-loaded reader first. It never picks a reader in conflict (grants.services.conflicts) nor one who
already read, declined or was removed from the application. Ties break on the reader's id, so that a run is
reproducible. Loads are counted within the round: active assignments (awaiting attestation or attested).
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from consortia.models import Affiliation, Consortium, Membership, Organization, User
from consortia.roles import Role
from grants.applications.models import Application
from grants.programs.models import Round

from ..models import Assignment, Conflict, Review
from . import conflicts

PACIFIC = ZoneInfo("America/Los_Angeles")
REMINDER_WINDOW = timedelta(days=3)
ACTIVE = Assignment.ACTIVE
S = Assignment.Status


def reviewer_pool():
    """Everyone who may be asked to read: active people in the Reviewers group."""
    return User.objects.filter(groups__name=Role.REVIEWER, is_active=True)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _lock_round(round_id: int) -> None:
    # Assigning in a round takes this lock, so that loads, maximums and readers already chosen are read
    # consistently: two runs at once would otherwise pick the same readers.
    Round.objects.select_for_update().filter(pk=round_id).first()


def round_load(*, reviewer, round_id: int) -> int:
    return Assignment.objects.active().filter(reviewer=reviewer, application__round_id=round_id).count()


# ---- By hand -----------------------------------------------------------------------------------------------


@transaction.atomic
def assign(*, application: Application, reviewer, by, max_per_reviewer: int | None = None) -> Assignment:
    """Ask one reader to read one application. Raises ValidationError saying why when it cannot be done."""
    _lock_round(application.round_id)
    application = Application.objects.select_related("consortium").get(pk=application.pk)
    if not reviewer_pool().filter(pk=reviewer.pk).exists():
        raise ValidationError(
            f"{reviewer} is not a reviewer: only active people in the Reviewers group read applications.",
            code="not_reviewer",
        )
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(
            f"Application {application.number} is {application.get_status_display().lower()}: "
            "only submitted applications are read.",
            code="not_submitted",
        )
    earlier = set(
        Assignment.objects.filter(application=application, reviewer=reviewer).values_list("status", flat=True)
    )
    if earlier & set(ACTIVE):
        raise ValidationError(f"{reviewer} is already assigned to {application.number}.", code="already_assigned")
    if S.DECLINED in earlier:
        raise ValidationError(
            f"{reviewer} declared a conflict of interest with {application.number} and cannot read it.",
            code="declined",
        )
    if found := conflicts.reasons(reviewer=reviewer, application=application):
        raise ValidationError(
            f"{reviewer} has a conflict of interest with {application.number}: {'; '.join(found)}.", code="conflict"
        )
    if max_per_reviewer is not None:
        load = round_load(reviewer=reviewer, round_id=application.round_id)
        if load >= max_per_reviewer:
            raise ValidationError(
                f"{reviewer} already reads {_plural(load, 'application', 'applications')} in this round, "
                f"the maximum of {max_per_reviewer}.",
                code="maximum",
            )
    assignment = Assignment(application=application, reviewer=reviewer, assigned_by=by)
    assignment._history_user = by
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as clash:
        raise ValidationError(f"{reviewer} is already assigned to {application.number}.", code="clash") from clash
    _notify_on_commit({reviewer.pk: [application.pk]})
    return assignment


def _end(assignment: Assignment, *, status: str, reason: str, by) -> Assignment:
    assignment.status = status
    assignment.ended_at = timezone.now()
    assignment.end_reason = reason
    assignment._history_user = by
    assignment.save(update_fields=["status", "ended_at", "end_reason"])
    return assignment


@transaction.atomic
def remove(*, assignment: Assignment, by, reason: str) -> Assignment:
    """End a reader's assignment (they withdrew, or staff changed their mind); the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Give a reason for removing the reader; it is kept in the record.", code="required")
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status not in ACTIVE:
        raise ValidationError(f"This assignment already ended ({locked.get_status_display().lower()}).", code="ended")
    _end(locked, status=S.REMOVED, reason=reason, by=by)
    assignment.status, assignment.ended_at, assignment.end_reason = locked.status, locked.ended_at, locked.end_reason
    return locked


@transaction.atomic
def reassign(*, assignment: Assignment, to, by, reason: str) -> Assignment:
    """Remove one reader and ask another in their place, both or neither."""
    remove(assignment=assignment, by=by, reason=reason)
    return assign(application=assignment.application, reviewer=to, by=by)


# ---- Conflicts recorded by staff ----------------------------------------------------------------------------


@dataclass
class RecordedConflict:
    conflict: Conflict
    ended: list[Assignment]


@transaction.atomic
def record_conflict(
    *,
    reviewer,
    by,
    reason: str,
    consortium: Consortium | None = None,
    organization: Organization | None = None,
) -> RecordedConflict:
    """Record a conflict staff learned of; any active assignment it hits ends, so the application needs a reader."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Say why the reader is in conflict; it is kept in the record.", code="required")
    if (consortium is None) == (organization is None):
        raise ValidationError("Choose either a consortium or an organization.", code="target")
    conflict = Conflict.objects.create(
        reviewer=reviewer,
        consortium=consortium,
        organization=organization,
        source=Conflict.Source.STAFF,
        reason=reason,
        recorded_by=by,
    )
    if consortium is not None:
        hit = Q(application__consortium=consortium)
    else:
        hit = Q(application__consortium__lead_agency=organization) | Q(
            application__consortium__memberships__organization=organization
        )
    ids = set(Assignment.objects.active().filter(hit, reviewer=reviewer).values_list("pk", flat=True))
    ended = [
        _end(a, status=S.REMOVED, reason=f"Conflict of interest recorded by staff: {reason}", by=by)
        for a in Assignment.objects.select_for_update().filter(pk__in=ids).select_related("application")
    ]
    return RecordedConflict(conflict=conflict, ended=ended)


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


def conflicts_overview(*, round_: Round) -> list[ReaderConflicts]:
    """Every reader in the pool with their affiliations and recorded conflicts, in a fixed number of queries."""
    apps = list(round_.applications.submitted().select_related("consortium").order_by("number"))
    by_consortium: dict[int, list[Application]] = defaultdict(list)
    by_organization: dict[int, list[Application]] = defaultdict(list)
    for app in apps:
        by_consortium[app.consortium_id].append(app)
        by_organization[app.consortium.lead_agency_id].append(app)
    for consortium_id, org_id in Membership.objects.filter(consortium_id__in=by_consortium).values_list(
        "consortium_id", "organization_id"
    ):
        for app in by_consortium[consortium_id]:
            if app not in by_organization[org_id]:
                by_organization[org_id].append(app)
    readers = reviewer_pool().prefetch_related(
        "affiliations__organization", "conflicts__consortium", "conflicts__organization", "conflicts__recorded_by"
    )
    overview = []
    for reader in readers:
        row = ReaderConflicts(reader=reader)
        row.affiliations = [(a, by_organization.get(a.organization_id, [])) for a in reader.affiliations.all()]
        row.recorded = [
            (
                c,
                by_consortium.get(c.consortium_id, [])
                if c.consortium_id
                else by_organization.get(c.organization_id, []),
            )
            for c in reader.conflicts.all()
        ]
        overview.append(row)
    return overview


# ---- Automatically -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unfilled:
    application_id: int
    number: str
    readers: int
    missing: int
    reason: str


@dataclass
class AutoAssignResult:
    """What a run did, for the screen: assignments made, loads after the run, applications it could not fill."""

    created: int
    applications: int
    readers_per_application: int
    max_per_reviewer: int | None
    loads: dict[int, int]  # reviewer id -> active assignments in the round after the run
    unfilled: list[Unfilled]

    @property
    def min_load(self) -> int:
        return min(self.loads.values(), default=0)

    @property
    def max_load(self) -> int:
        return max(self.loads.values(), default=0)

    def as_dict(self) -> dict:
        """A JSON-safe summary (kept in the session between the run and the page that shows it)."""
        return {
            "created": self.created,
            "applications": self.applications,
            "readers_per_application": self.readers_per_application,
            "max_per_reviewer": self.max_per_reviewer,
            "reviewers": len(self.loads),
            "min_load": self.min_load,
            "max_load": self.max_load,
            "unfilled": [
                {"number": u.number, "readers": u.readers, "missing": u.missing, "reason": u.reason}
                for u in self.unfilled
            ],
        }


def _shortfall(*, pool: int, conflicted: int, earlier: int, at_max: int, maximum: int | None, needed: int) -> str:
    if pool == 0:
        return "there are no reviewers: add people to the Reviewers group"
    parts = []
    free = pool - conflicted
    if free < needed and conflicted:
        parts.append(f"only {free} of the {_plural(pool, 'reviewer', 'reviewers')} free of conflict")
    elif free < needed:
        parts.append(f"only {_plural(pool, 'reviewer', 'reviewers')} in the pool")
    if earlier:
        parts.append(f"{_plural(earlier, 'reader was', 'readers were')} removed from it or declined it earlier")
    if at_max:
        parts.append(f"{_plural(at_max, 'free reader has', 'free readers have')} the maximum of {maximum}")
    return "; ".join(parts) or "no reader is available"


@transaction.atomic
def auto_assign(*, round_: Round, by, max_per_reviewer: int | None = None) -> AutoAssignResult:
    """Top every submitted application up to the round's readers per application, balancing readers' loads."""
    _lock_round(round_.pk)
    needed = round_.readers_per_application
    submitted = Application.objects.filter(round_id=round_.pk, status=Application.Status.SUBMITTED)
    apps = list(submitted.order_by("number").values_list("pk", "number"))
    pool = sorted(reviewer_pool().values_list("pk", flat=True))

    loads = dict.fromkeys(pool, 0)
    readers: dict[int, set[int]] = defaultdict(set)  # active readers of each application
    earlier: dict[int, set[int]] = defaultdict(set)  # every reader who ever had the application, any status
    for app_id, reviewer_id, status in Assignment.objects.filter(application__round_id=round_.pk).values_list(
        "application_id", "reviewer_id", "status"
    ):
        earlier[app_id].add(reviewer_id)
        if status in ACTIVE:
            readers[app_id].add(reviewer_id)
            if reviewer_id in loads:
                loads[reviewer_id] += 1
    conflicted = conflicts.conflicted_pairs(applications=submitted, reviewer_ids=pool)

    candidates = {
        app_id: [r for r in pool if (r, app_id) not in conflicted and r not in earlier[app_id]]
        for app_id, _ in apps
        if len(readers[app_id]) < needed
    }
    # The most constrained applications choose first, so that a maximum per reader does not starve them.
    new: list[Assignment] = []
    chosen: dict[int, list[int]] = defaultdict(list)
    for app_id in sorted(candidates, key=lambda app_id: (len(candidates[app_id]), app_id)):
        free = [r for r in candidates[app_id] if max_per_reviewer is None or loads[r] < max_per_reviewer]
        for reviewer_id in heapq.nsmallest(needed - len(readers[app_id]), free, key=lambda r: (loads[r], r)):
            loads[reviewer_id] += 1
            readers[app_id].add(reviewer_id)
            chosen[reviewer_id].append(app_id)
            new.append(Assignment(application_id=app_id, reviewer_id=reviewer_id, status=S.ASSIGNED))
    if new:
        bulk_create_with_history(new, Assignment, batch_size=1000, default_user=by)
        _notify_on_commit(chosen)

    unfilled = []
    for app_id, number in apps:
        if len(readers[app_id]) >= needed:
            continue
        reason = _shortfall(
            pool=len(pool),
            conflicted=sum(1 for r in pool if (r, app_id) in conflicted),
            earlier=sum(1 for r in earlier[app_id] - readers[app_id] if r in loads and (r, app_id) not in conflicted),
            at_max=sum(
                1
                for r in candidates[app_id]
                if r not in readers[app_id] and max_per_reviewer is not None and loads[r] >= max_per_reviewer
            ),
            maximum=max_per_reviewer,
            needed=needed,
        )
        unfilled.append(Unfilled(app_id, number, len(readers[app_id]), needed - len(readers[app_id]), reason))
    return AutoAssignResult(
        created=len(new),
        applications=len(apps),
        readers_per_application=needed,
        max_per_reviewer=max_per_reviewer,
        loads=loads,
        unfilled=unfilled,
    )


# ---- What the staff pages show -----------------------------------------------------------------------------

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
    """The reviewer pool with their work in this round, in one query."""
    in_round = Q(assignments__application__round=round_)
    active = in_round & Q(assignments__status__in=ACTIVE)
    return reviewer_pool().annotate(
        load=Count("assignments", filter=active),
        awaiting=Count("assignments", filter=in_round & Q(assignments__status=S.ASSIGNED)),
        submitted=Count("assignments", filter=active & Q(assignments__review__status=Review.Status.SUBMITTED)),
        declined=Count("assignments", filter=in_round & Q(assignments__status=S.DECLINED)),
    )


def eligible_readers(*, application: Application) -> tuple[list, dict]:
    """Readers staff may assign to this application (with their load in the round), and those in conflict.

    Returns ([reader with .load, ...], {reader: reason}). Fixed number of queries.
    """
    pool = list(reader_loads(round_=application.round).order_by("last_name", "first_name", "email"))
    conflicted = conflicts.conflicted_pairs(
        applications=Application.objects.filter(pk=application.pk), reviewer_ids=[r.pk for r in pool]
    )
    taken = set(
        Assignment.objects.filter(application=application, status__in=[*ACTIVE, S.DECLINED]).values_list(
            "reviewer_id", flat=True
        )
    )
    eligible = [r for r in pool if (r.pk, application.pk) not in conflicted and r.pk not in taken]
    in_conflict = {r: conflicted[(r.pk, application.pk)] for r in pool if (r.pk, application.pk) in conflicted}
    return eligible, in_conflict


# ---- Email -------------------------------------------------------------------------------------------------


def _workspace_link() -> str:
    """The reader's queue in the review workspace."""
    return settings.SITE_URL + reverse("reviews:reviews")


def _notify_on_commit(chosen: dict[int, list[int]]) -> None:
    batch = {reviewer_id: list(app_ids) for reviewer_id, app_ids in chosen.items()}
    transaction.on_commit(lambda: notify_assigned(chosen=batch), robust=True)


def notify_assigned(*, chosen: dict[int, list[int]]) -> int:
    """Tell each reader which applications they were asked to read: one message per reader."""
    readers = User.objects.in_bulk(list(chosen))
    apps = Application.objects.select_related("round", "consortium").in_bulk(
        [app_id for app_ids in chosen.values() for app_id in app_ids]
    )
    messages = []
    for reviewer_id, app_ids in sorted(chosen.items()):
        reader = readers[reviewer_id]
        applications = sorted((apps[a] for a in app_ids), key=lambda a: a.number)
        context = {"reader": reader, "applications": applications, "link": _workspace_link()}
        count = _plural(len(applications), "application", "applications")
        messages.append(
            EmailMessage(
                subject=f"CCPT Grants: you are asked to read {count}",
                body=render_to_string("reviews/emails/review_assigned.txt", context),
                to=[reader.email],
            )
        )
    return get_connection().send_messages(messages) or 0


def _start_of_day(now: datetime) -> datetime:
    local = timezone.localtime(now, PACIFIC)
    return datetime.combine(local.date(), time.min, tzinfo=PACIFIC)


def due_for_reminder(*, now: datetime):
    """Active assignments with an unfinished review, in rounds in review whose reviews are due within 3 days
    or overdue, not yet reminded today (Pacific time)."""
    return (
        Assignment.objects.active()
        .filter(
            application__status=Application.Status.SUBMITTED,
            application__round__status=Round.Status.IN_REVIEW,
            application__round__review_due_at__lte=now + REMINDER_WINDOW,
        )
        .exclude(review__status=Review.Status.SUBMITTED)
        .filter(Q(last_reminded_at__isnull=True) | Q(last_reminded_at__lt=_start_of_day(now)))
    )


def send_reminders(*, now: datetime | None = None) -> int:
    """Email each reader with reviews due soon or overdue, at most once a day per assignment.

    Returns how many messages were sent. Each reader's assignments are claimed and mailed in one transaction:
    a failed send rolls the claim back, so that the next run sends it; a concurrent run skips locked rows.
    """
    now = now or timezone.now()
    sent = 0
    for reviewer_id in sorted(set(due_for_reminder(now=now).values_list("reviewer_id", flat=True))):
        with transaction.atomic():
            due = list(
                due_for_reminder(now=now)
                .filter(reviewer_id=reviewer_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("reviewer", "application__round", "application__consortium")
                .order_by("application__round__review_due_at", "application__number")
            )
            if not due:
                continue
            Assignment.objects.filter(pk__in=[a.pk for a in due]).update(last_reminded_at=now)
            reader = due[0].reviewer
            context = {"reader": reader, "assignments": due, "now": now, "link": _workspace_link()}
            overdue = any(a.application.round.review_due_at < now for a in due)
            count = _plural(len(due), "review", "reviews")
            EmailMessage(
                subject=f"CCPT Grants: {count} {'overdue' if overdue else 'due soon'}",
                body=render_to_string("reviews/emails/review_reminder.txt", context),
                to=[reader.email],
            ).send()
            sent += 1
    return sent


@dataclass
class BoardRow:
    application: Application
    readers: list[tuple[Assignment, str]]  # active assignments with their status
    ended: list[tuple[Assignment, str]]  # declined or removed, with their status
    missing: int
    conflicted: list[str]  # readers in the pool who are in conflict with the application


def board_applications(*, round_: Round, needing_only: bool = False):
    """The round's submitted applications, each with its active reader count, for the assignment board."""
    apps = (
        round_.applications.submitted()
        .select_related("consortium", "category")
        .annotate(active_readers=Count("assignments", filter=Q(assignments__status__in=ACTIVE)))
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("reviewer", "review").order_by("assigned_at", "pk"),
            )
        )
        .order_by("number")
    )
    if needing_only:
        apps = apps.filter(active_readers__lt=round_.readers_per_application)
    return apps


def board_rows(*, round_: Round, applications) -> list[BoardRow]:
    """One row per application (from board_applications), with conflicts, in a fixed number of queries."""
    applications = list(applications)
    names = {r.pk: str(r) for r in reviewer_pool().only("pk", "first_name", "last_name", "email")}
    conflicted = conflicts.conflicted_pairs(
        applications=Application.objects.filter(pk__in=[a.pk for a in applications]), reviewer_ids=list(names)
    )
    in_conflict: dict[int, list[str]] = defaultdict(list)
    for reviewer_id, app_id in conflicted:
        in_conflict[app_id].append(names[reviewer_id])
    rows = []
    for app in applications:
        assignments = list(app.assignments.all())
        # A conflict found after the assignment (a new affiliation) hides the application from the reader;
        # staff see it here and replace the reader.
        readers = [
            (a, reader_status(a) + (" (in conflict: replace)" if (a.reviewer_id, app.pk) in conflicted else ""))
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
    return {
        "applications": apps.count(),
        "needing": apps.filter(active_readers__lt=round_.readers_per_application).count(),
        "assignments": Assignment.objects.active().filter(application__round=round_).count(),
    }
