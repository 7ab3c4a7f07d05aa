"""The reader pool as program staff keep it: who reads, their affiliations and expertise, their own maximum in a
round, and deactivating a reader (no new assignments) or reactivating them.

Affiliations are consortia.Affiliation rows: the conflict rules (conflicts.py, scoring's in_conflict) read them, so
an affiliation staff add here rules the reader out of that organization's applications at once. An affiliation
added while the reader has active assignments it conflicts with ends none of them: staff are shown them and decide
(a conflicted review is not counted by scoring anyway). Every change is in the audit trail with who and when.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal, require_reason
from ccpt.lib.text import plural
from consortia.models import Affiliation, Organization, User
from consortia.roles import Role
from grants.applications.models import Application
from grants.applications.sectors import Sector
from grants.programs.models import Round

from ..models import Assignment, ReaderLoadCap, ReaderProfile, ReaderSector, Review
from . import conflicts
from .assignment import remove

PERM = "reviews.manage_readers"
# Rounds whose readers' loads the pool shows: those not yet decided.
OPEN_ROUND_STATUSES = (Round.Status.OPEN, Round.Status.CLOSED, Round.Status.IN_REVIEW)


def all_readers():
    """Everyone in the Readers group with an account that can sign in, deactivated readers included."""
    return User.objects.filter(groups__name=Role.READER, is_active=True)


def open_rounds():
    return Round.objects.filter(status__in=OPEN_ROUND_STATUSES).order_by("opens_at", "pk")


def search(*, text: str = "", sector: str = "", status: str = ""):
    """The pool filtered: `text` in the name, email or free-text expertise; a CTE sector; "active" or "deactivated"."""
    readers = all_readers()
    if text:
        for word in text.split():
            readers = readers.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(email__icontains=word)
                | Q(reader_profile__expertise__icontains=word)
            )
    if sector:
        readers = readers.filter(Exists(ReaderSector.objects.filter(reader=OuterRef("pk"), sector=sector)))
    deactivated = Exists(ReaderProfile.objects.filter(user=OuterRef("pk"), deactivated_at__isnull=False))
    if status == "active":
        readers = readers.filter(~deactivated)
    elif status == "deactivated":
        readers = readers.filter(deactivated)
    return readers.order_by("last_name", "first_name", "email")


@dataclass
class RoundLoad:
    round: Round
    load: int
    cap: int | None


@dataclass
class PoolRow:
    reader: User
    profile: ReaderProfile | None
    loads: list[RoundLoad] = field(default_factory=list)

    @property
    def active(self) -> bool:
        return self.profile is None or self.profile.is_active

    @property
    def organizations(self) -> list[Organization]:
        return [a.organization for a in self.reader.affiliations.all()]

    @property
    def sectors(self) -> list[str]:
        return [s.get_sector_display() for s in self.reader.reader_sectors.all()]


def pool_rows(*, readers, rounds: list[Round]) -> list[PoolRow]:
    """A page of readers with their profile, affiliations, sectors and, per round, load and own maximum: a fixed
    number of queries whatever the number of readers."""
    readers = list(
        readers.select_related("reader_profile").prefetch_related(
            Prefetch("affiliations", queryset=Affiliation.objects.select_related("organization").order_by("pk")),
            "reader_sectors",
        )
    )
    ids = [r.pk for r in readers]
    round_ids = [r.pk for r in rounds]
    loads: dict[tuple[int, int], int] = {}
    caps: dict[tuple[int, int], int] = {}
    if ids and round_ids:
        counted = (
            Assignment.objects.active()
            .filter(reader_id__in=ids, application__round_id__in=round_ids)
            .values_list("reader_id", "application__round_id")
            .annotate(n=Count("pk"))
        )
        loads = {(reader, round_id): n for reader, round_id, n in counted}
        caps = {
            (reader, round_id): maximum
            for reader, round_id, maximum in ReaderLoadCap.objects.filter(
                reader_id__in=ids, round_id__in=round_ids
            ).values_list("reader_id", "round_id", "maximum")
        }
    rows = []
    for reader in readers:
        profile = reader.reader_profile if _has_profile(reader) else None
        row = PoolRow(reader=reader, profile=profile)
        row.loads = [RoundLoad(r, loads.get((reader.pk, r.pk), 0), caps.get((reader.pk, r.pk))) for r in rounds]
        rows.append(row)
    return rows


def _has_profile(user: User) -> bool:
    try:
        user.reader_profile  # noqa: B018 - read with select_related: no query
    except ReaderProfile.DoesNotExist:
        return False
    return True


def profile_of(reader: User) -> ReaderProfile | None:
    return ReaderProfile.objects.filter(user=reader).first()


def conflicted_assignments(*, reader: User, organizations=None) -> list[Assignment]:
    """The reader's active assignments in conflict today (by any rule), or only those the given organizations hit
    (the lead agency or a member of the application's consortium)."""
    active = Assignment.objects.active().filter(reader=reader).select_related("application__round")
    if organizations is not None:
        org_ids = [o.pk for o in organizations]
        active = active.filter(
            Q(application__consortium__lead_agency_id__in=org_ids)
            | Q(application__consortium__memberships__organization_id__in=org_ids)
        ).distinct()
        return sorted(active, key=lambda a: a.application.number)
    apps = Application.objects.filter(pk__in=active.values("application_id"))
    pairs = conflicts.conflicted_pairs(applications=apps, reader_ids=[reader.pk])
    return sorted((a for a in active if (reader.pk, a.application_id) in pairs), key=lambda a: a.application.number)


def unsubmitted_assignments(reader: User):
    """The reader's active assignments with no submitted review: what deactivating them may remove."""
    submitted = Review.objects.filter(assignment=OuterRef("pk"), status=Review.Status.SUBMITTED)
    return (
        Assignment.objects.active()
        .filter(reader=reader)
        .filter(~Exists(submitted))
        .select_related("application__round")
        .order_by("application__number")
    )


def _names(items) -> str:
    return ", ".join(str(i) for i in items) or "none"


def _sector_names(values) -> str:
    return ", ".join(Sector(v).label for v in sorted(values)) or "none"


def apply_profile(*, reader: User, organizations, sectors, expertise: str) -> list[str]:
    """Make the reader's affiliations, sectors and expertise these; what changed, in words (no audit, no checks)."""
    changes = []
    profile, _ = ReaderProfile.objects.get_or_create(user=reader)
    wanted = {o.pk: o for o in organizations}
    current = {a.organization_id: a for a in Affiliation.objects.filter(user=reader).select_related("organization")}
    added = [wanted[pk] for pk in wanted if pk not in current]
    gone = [current[pk].organization for pk in current if pk not in wanted]
    Affiliation.objects.bulk_create([Affiliation(user=reader, organization=o) for o in added])
    Affiliation.objects.filter(user=reader, organization__in=gone).delete()
    if added:
        changes.append(f"Affiliations added: {_names(added)}")
    if gone:
        changes.append(f"Affiliations removed: {_names(gone)}")
    sectors = {s for s in sectors if s in Sector.values}
    before = set(ReaderSector.objects.filter(reader=reader).values_list("sector", flat=True))
    if sectors != before:
        ReaderSector.objects.filter(reader=reader).exclude(sector__in=sectors).delete()
        ReaderSector.objects.bulk_create([ReaderSector(reader=reader, sector=s) for s in sorted(sectors - before)])
        changes.append(f"Sectors: {_sector_names(before)} → {_sector_names(sectors)}")
    expertise = (expertise or "").strip()
    if expertise != profile.expertise:
        profile.expertise = expertise
        profile.save(update_fields=["expertise"])
        changes.append(f"Expertise: “{expertise or 'none'}”")
    return changes


@dataclass
class ProfileChange:
    changes: list[str]
    conflicted: list[Assignment]  # active assignments the affiliations added now conflict with


@transaction.atomic
def save_profile(*, reader: User, by, organizations, sectors, expertise: str) -> ProfileChange:
    """Staff set a reader's affiliations (conflicts follow at once), CTE sectors and free-text expertise."""
    authorize(by, PERM)
    reader = User.objects.select_for_update().get(pk=reader.pk)
    if not reader.has_role(Role.READER):
        raise Refusal(f"{reader} is not a reader.")
    before = set(Affiliation.objects.filter(user=reader).values_list("organization_id", flat=True))
    changes = apply_profile(reader=reader, organizations=organizations, sectors=sectors, expertise=expertise)
    if not changes:
        raise Refusal(f"Nothing to change: {reader}'s affiliations and expertise are already these.")
    added = [o for o in organizations if o.pk not in before]
    hit = conflicted_assignments(reader=reader, organizations=added) if added else []
    summary = "Reader profile: " + "; ".join(changes)
    if hit:
        summary += f". Now in conflict with active assignments: {_names(a.application.number for a in hit)}"
    record(Event.Action.SETTING_CHANGE, by=by, obj=reader, summary=summary)
    return ProfileChange(changes=changes, conflicted=hit)


@transaction.atomic
def set_cap(*, reader: User, round_: Round, by, maximum: int | None) -> ReaderLoadCap | None:
    """Staff set (or clear, with None) the most applications the reader reads in the round. Assignments already
    made are kept; the cap stops new ones (by hand and automatic) once the load reaches it."""
    authorize(by, PERM)
    if maximum is not None and maximum < 1:
        raise Refusal("Enter at least 1, or leave empty for no maximum.", errors={"maximum": "Enter at least 1."})
    Round.objects.select_for_update().filter(pk=round_.pk).first()  # the lock assigning takes
    cap = ReaderLoadCap.objects.filter(round=round_, reader=reader).first()
    before = cap.maximum if cap else None
    if before == maximum:
        raise Refusal(f"Nothing to change: {reader}'s maximum in {round_} is already {maximum or 'none'}.")
    if maximum is None:
        cap.delete()
        cap = None
    elif cap is None:
        cap = ReaderLoadCap.objects.create(round=round_, reader=reader, maximum=maximum, set_by=by)
    else:
        cap.maximum, cap.set_by = maximum, by
        cap.save(update_fields=["maximum", "set_by"])
    record(
        Event.Action.SETTING_CHANGE,
        by=by,
        obj=reader,
        summary=f"Most applications to read in {round_}: {before or 'no maximum'} → {maximum or 'no maximum'}",
    )
    return cap


@dataclass
class Deactivation:
    profile: ReaderProfile
    removed: list[Assignment]


@transaction.atomic
def deactivate(*, reader: User, by, reason: str, remove_unsubmitted: bool = False) -> Deactivation:
    """Take a reader out of assigning, for a reason; their account, role and submitted reviews stay. With
    `remove_unsubmitted`, their active assignments with no submitted review end (assignment.remove), so the
    board shows those applications need a reader."""
    authorize(by, PERM)
    reason = require_reason(reason, "Say why the reader is deactivated; it is kept in the record.")
    profile, _ = ReaderProfile.objects.select_for_update().get_or_create(user=reader)
    if not profile.is_active:
        raise Refusal(f"{reader} is already deactivated.")
    profile.deactivated_at = timezone.now()
    profile.deactivated_by = by
    profile.deactivation_reason = reason
    profile.save(update_fields=["deactivated_at", "deactivated_by", "deactivation_reason"])
    removed = []
    if remove_unsubmitted:
        for assignment in unsubmitted_assignments(reader):
            removed.append(remove(assignment=assignment, by=by, reason=f"Reader deactivated: {reason}"))
    summary = f"Reader deactivated: no new assignments ({reason})"
    if removed:
        summary += f"; removed from {plural(len(removed), 'application', 'applications')} without a submitted review"
    record(Event.Action.STATUS_CHANGE, by=by, obj=reader, summary=summary)
    return Deactivation(profile=profile, removed=removed)


@transaction.atomic
def reactivate(*, reader: User, by, reason: str = "") -> ReaderProfile:
    authorize(by, PERM)
    profile = ReaderProfile.objects.select_for_update().filter(user=reader).first()
    if profile is None or profile.is_active:
        raise Refusal(f"{reader} is not deactivated.")
    profile.deactivated_at, profile.deactivated_by, profile.deactivation_reason = None, None, ""
    profile.save(update_fields=["deactivated_at", "deactivated_by", "deactivation_reason"])
    note = f" ({reason.strip()})" if (reason or "").strip() else ""
    record(Event.Action.STATUS_CHANGE, by=by, obj=reader, summary=f"Reader reactivated: may be assigned again{note}")
    return profile
