"""Readers for applications: conflicts recorded by staff, assignment by hand or automatically, removal, reminders.

Automatic assignment tops every submitted application of a round up to round.readers_per_application active
readers, least-loaded reader first. It never picks a reader in conflict (grants.services.conflicts) nor one who
already read, declined or was removed from the application. Ties break on the reader's id, so that a run is
reproducible. Loads are counted within the round: active assignments (awaiting attestation or attested).

A reader's limit in a round is the smaller of their own maximum for the round (ReaderLoadCap, set by staff on the
reader pool) and the maximum a run is given; a deactivated reader (ReaderProfile) is out of the pool: never
assigned, by hand or automatically.
"""

import heapq
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from ccpt.lib.refusal import Refusal, require_reason
from ccpt.lib.text import plural
from consortia.models import Consortium, Organization, User
from consortia.roles import Role
from grants import workflow
from grants.applications.models import Application
from grants.programs.models import Round

from ..models import Assignment, Conflict, ReaderLoadCap, ReaderProfile
from . import conflicts, emails, rereading

ACTIVE = Assignment.ACTIVE
S = Assignment.Status


def reader_pool():
    """Everyone who may be asked to read: active people in the Readers group whom staff have not deactivated."""
    deactivated = ReaderProfile.objects.filter(user=OuterRef("pk"), deactivated_at__isnull=False)
    return User.objects.filter(groups__name=Role.READER, is_active=True).filter(~Exists(deactivated))


def limit_of(*, own: int | None, run: int | None) -> int | None:
    """The most a reader may read in the round: the smaller of their own maximum and the run's (either may be None)."""
    given = [m for m in (own, run) if m is not None]
    return min(given) if given else None


def own_cap(*, reader_id: int, round_id: int) -> int | None:
    return (
        ReaderLoadCap.objects.filter(reader_id=reader_id, round_id=round_id).values_list("maximum", flat=True).first()
    )


def _lock_round(round_id: int) -> Round | None:
    # Assigning in a round takes this lock, so that loads, maximums and readers already chosen are read
    # consistently: two runs at once would otherwise pick the same readers.
    return Round.objects.select_for_update().filter(pk=round_id).first()


def round_load(*, reader, round_id: int) -> int:
    return Assignment.objects.active().filter(reader=reader, application__round_id=round_id).count()


# ---- By hand -----------------------------------------------------------------------------------------------


@transaction.atomic
def assign(*, application: Application, reader, by, max_per_reader: int | None = None) -> Assignment:
    """Ask one reader to read one application. Raises Refusal saying why when it cannot be done."""
    _lock_round(application.round_id)
    application = Application.objects.select_related("consortium").get(pk=application.pk)
    if ReaderProfile.objects.filter(user_id=reader.pk, deactivated_at__isnull=False).exists():
        raise _about_reader(
            f"{reader} is deactivated in the reader pool and gets no new assignments; reactivate them there first."
        )
    if not reader_pool().filter(pk=reader.pk).exists():
        raise _about_reader(f"{reader} is not a reader: only active people in the Readers group read applications.")
    if application.status != Application.Status.SUBMITTED:
        raise _about_reader(
            f"Application {application.number} is {application.get_status_display().lower()}: "
            "only submitted applications are read."
        )
    _check_reopened(application, reader)
    earlier = set(Assignment.objects.filter(application=application, reader=reader).values_list("status", flat=True))
    if earlier & set(ACTIVE):
        raise _about_reader(f"{reader} is already assigned to {application.number}.")
    if S.DECLINED in earlier:
        raise _about_reader(f"{reader} declared a conflict of interest with {application.number} and cannot read it.")
    if found := conflicts.reasons(reader=reader, application=application):
        raise _about_reader(f"{reader} has a conflict of interest with {application.number}: {'; '.join(found)}.")
    own = own_cap(reader_id=reader.pk, round_id=application.round_id)
    if (limit := limit_of(own=own, run=max_per_reader)) is not None:
        load = round_load(reader=reader, round_id=application.round_id)
        if load >= limit:
            whose = f"their own maximum of {limit} for this round" if limit == own else f"the maximum of {limit}"
            raise _about_reader(
                f"{reader} already reads {plural(load, 'application', 'applications')} in this round, {whose}."
            )
    assignment = Assignment(application=application, reader=reader, assigned_by=by)
    assignment._history_user = by
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as clash:
        raise _about_reader(f"{reader} is already assigned to {application.number}.") from clash
    emails.notify_on_commit({reader.pk: [application.pk]})
    return assignment


def _check_reopened(application: Application, reader) -> None:
    """After publication only an application re-opened for a new reading takes readers, and only new ones."""
    if application.round.results_published_at is None:
        return
    since = rereading.reopened_at(application)
    if since is None:
        raise _about_reader(
            f"The results of {application.round} are published: {application.number} takes a reader only when an "
            "upheld appeal re-opens it for a new reading."
        )
    if reader.pk in rereading.original_readers(application, since):
        raise _about_reader(
            f"{reader} read {application.number} before it was re-opened: an appeal's new reading is done by "
            "readers who did not read it."
        )


def _about_reader(message: str) -> Refusal:
    """A refusal about the reader chosen (shown next to where they were chosen)."""
    return Refusal(message, errors={"reader": message})


def _remove(assignment: Assignment, *, reason: str, by) -> Assignment:
    changes = {"ended_at": timezone.now(), "end_reason": reason}
    workflow.transition(assignment, S.REMOVED, by=by, reason=reason, changes=changes)
    return assignment


@transaction.atomic
def remove(*, assignment: Assignment, by, reason: str) -> Assignment:
    """End a reader's assignment (they withdrew, or staff changed their mind); the reason is kept."""
    reason = require_reason(reason, "Give a reason for removing the reader; it is kept in the record.")
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.status not in ACTIVE:
        raise Refusal(f"This assignment already ended ({locked.get_status_display().lower()}).")
    return _remove(assignment, reason=reason, by=by)


@transaction.atomic
def reassign(*, assignment: Assignment, to, by, reason: str) -> Assignment:
    """Remove one reader and ask another in their place, both or neither."""
    remove(assignment=assignment, by=by, reason=reason)
    return assign(application=assignment.application, reader=to, by=by)


# ---- Conflicts recorded by staff ----------------------------------------------------------------------------


@dataclass
class RecordedConflict:
    conflict: Conflict
    ended: list[Assignment]


@transaction.atomic
def record_conflict(
    *,
    reader,
    by,
    reason: str,
    consortium: Consortium | None = None,
    organization: Organization | None = None,
) -> RecordedConflict:
    """Record a conflict staff learned of; any active assignment it hits ends, so the application needs a reader."""
    reason = require_reason(reason, "Say why the reader is in conflict; it is kept in the record.")
    if (consortium is None) == (organization is None):
        raise Refusal("Choose either a consortium or an organization.")
    conflict = Conflict.objects.create(
        reader=reader,
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
    ids = set(Assignment.objects.active().filter(hit, reader=reader).values_list("pk", flat=True))
    ended = [
        _remove(a, reason=f"Conflict of interest recorded by staff: {reason}", by=by)
        for a in Assignment.objects.select_for_update().filter(pk__in=ids).select_related("application")
    ]
    return RecordedConflict(conflict=conflict, ended=ended)


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
    max_per_reader: int | None
    loads: dict[int, int]  # reader id -> active assignments in the round after the run
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
            "max_per_reader": self.max_per_reader,
            "readers": len(self.loads),
            "min_load": self.min_load,
            "max_load": self.max_load,
            "unfilled": [
                {"number": u.number, "readers": u.readers, "missing": u.missing, "reason": u.reason}
                for u in self.unfilled
            ],
        }


def _shortfall(
    *, pool: int, conflicted: int, earlier: int, at_max: int, maximum: int | None, needed: int, own_caps: bool = False
) -> str:
    if pool == 0:
        return "there are no readers: add people to the Readers group"
    parts = []
    free = pool - conflicted
    if free < needed and conflicted:
        parts.append(f"only {free} of the {plural(pool, 'reader', 'readers')} free of conflict")
    elif free < needed:
        parts.append(f"only {plural(pool, 'reader', 'readers')} in the pool")
    if earlier:
        parts.append(f"{plural(earlier, 'reader was', 'readers were')} removed from it or declined it earlier")
    if at_max:
        if maximum is None:
            limit = "their own maximum for this round"
        else:
            limit = f"the maximum of {maximum}" + (" or their own for this round" if own_caps else "")
        parts.append(f"{plural(at_max, 'free reader has', 'free readers have')} {limit}")
    return "; ".join(parts) or "no reader is available"


@transaction.atomic
def auto_assign(*, round_: Round, by, max_per_reader: int | None = None) -> AutoAssignResult:
    """Top every submitted application up to the round's readers per application, balancing readers' loads."""
    locked = _lock_round(round_.pk)
    if locked is not None and locked.results_published_at is not None:
        raise Refusal(
            f"The results of {round_} are published: readers are no longer assigned automatically. An application "
            "an upheld appeal re-opened is given its new readers by hand."
        )
    needed = round_.readers_per_application
    submitted = Application.objects.filter(round_id=round_.pk, status=Application.Status.SUBMITTED)
    apps = list(submitted.order_by("number").values_list("pk", "number"))
    pool = sorted(reader_pool().values_list("pk", flat=True))

    loads = dict.fromkeys(pool, 0)
    readers: dict[int, set[int]] = defaultdict(set)  # active readers of each application
    earlier: dict[int, set[int]] = defaultdict(set)  # every reader who ever had the application, any status
    for app_id, reader_id, status in Assignment.objects.filter(application__round_id=round_.pk).values_list(
        "application_id", "reader_id", "status"
    ):
        earlier[app_id].add(reader_id)
        if status in ACTIVE:
            readers[app_id].add(reader_id)
            if reader_id in loads:
                loads[reader_id] += 1
    conflicted = conflicts.conflicted_pairs(applications=submitted, reader_ids=pool)
    own = dict(ReaderLoadCap.objects.filter(round_id=round_.pk).values_list("reader_id", "maximum"))
    limits = {r: limit_of(own=own.get(r), run=max_per_reader) for r in pool}

    def at_limit(reader_id: int) -> bool:
        return limits[reader_id] is not None and loads[reader_id] >= limits[reader_id]

    candidates = {
        app_id: [r for r in pool if (r, app_id) not in conflicted and r not in earlier[app_id]]
        for app_id, _ in apps
        if len(readers[app_id]) < needed
    }
    # The most constrained applications choose first, so that a maximum per reader does not starve them.
    new: list[Assignment] = []
    chosen: dict[int, list[int]] = defaultdict(list)
    for app_id in sorted(candidates, key=lambda app_id: (len(candidates[app_id]), app_id)):
        free = [r for r in candidates[app_id] if not at_limit(r)]
        for reader_id in heapq.nsmallest(needed - len(readers[app_id]), free, key=lambda r: (loads[r], r)):
            loads[reader_id] += 1
            readers[app_id].add(reader_id)
            chosen[reader_id].append(app_id)
            new.append(Assignment(application_id=app_id, reader_id=reader_id))
    if new:
        bulk_create_with_history(new, Assignment, batch_size=1000, default_user=by)
        emails.notify_on_commit(chosen)

    unfilled = []
    for app_id, number in apps:
        if len(readers[app_id]) >= needed:
            continue
        reason = _shortfall(
            pool=len(pool),
            conflicted=sum(1 for r in pool if (r, app_id) in conflicted),
            earlier=sum(1 for r in earlier[app_id] - readers[app_id] if r in loads and (r, app_id) not in conflicted),
            at_max=sum(1 for r in candidates[app_id] if r not in readers[app_id] and at_limit(r)),
            maximum=max_per_reader,
            needed=needed,
            own_caps=bool(own),
        )
        unfilled.append(Unfilled(app_id, number, len(readers[app_id]), needed - len(readers[app_id]), reason))
    return AutoAssignResult(
        created=len(new),
        applications=len(apps),
        readers_per_application=needed,
        max_per_reader=max_per_reader,
        loads=loads,
        unfilled=unfilled,
    )
