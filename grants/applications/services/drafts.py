"""Building an application: letters of intent, starting one, and saving its sections so that
nothing typed is lost and nobody's work is overwritten by someone else's older copy."""

import copy
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from ccpt.lib.dates import format_datetime
from ccpt.lib.refusal import Refusal
from consortia.models import Consortium
from consortia.rules import spoken_for
from grants import workflow
from grants.programs.models import FundingCategory, Round

from ..models import Application, LetterOfIntent, long_texts
from .draft_input import kept_input
from .eligibility import SectionStatus, section_statuses

Section = Application.Section


# Letters of intent and starting an application


@transaction.atomic
def file_letter_of_intent(
    *,
    round_: Round,
    consortium: Consortium,
    by,
    category: FundingCategory | None = None,
    notes: str = "",
    at: datetime | None = None,
) -> LetterOfIntent:
    """File the consortium's one letter of intent for the round, strictly before the round's deadline."""
    at = at or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if not round_.requires_loi:
        raise Refusal(f"{round_} does not ask for a letter of intent; start an application instead.")
    if round_.status != Round.Status.OPEN:
        raise Refusal(f"{round_} is not open, so it does not take letters of intent now.")
    if at >= round_.loi_deadline:
        raise Refusal(
            f"Letters of intent for {round_} were due by {format_datetime(round_.loi_deadline)}; "
            "the deadline has passed."
        )
    if category is not None and category.round_id != round_.pk:
        raise Refusal(f"“{category.name}” is not a funding category of {round_}.")
    existing = LetterOfIntent.objects.filter(round=round_, consortium=consortium).select_related("filed_by").first()
    if existing:
        raise Refusal(
            f"{consortium} already filed its letter of intent for {round_} on {format_datetime(existing.filed_at)} "
            f"({existing.filed_by}). A consortium files one letter of intent per round."
        )
    try:
        with transaction.atomic():
            return LetterOfIntent.objects.create(
                round=round_, consortium=consortium, category=category, notes=notes, filed_by=by, filed_at=at
            )
    except IntegrityError as duplicate:  # a concurrent filing won the race
        raise Refusal(f"{consortium} already filed its letter of intent for {round_}.") from duplicate


def _not_accepting(round_: Round, at: datetime) -> str:
    if round_.status == Round.Status.OPEN and at < round_.opens_at:
        return f"{round_} opens for applications on {format_datetime(round_.opens_at)}."
    if round_.status in (Round.Status.OPEN, Round.Status.CLOSED) and at >= round_.closes_at:
        return (
            f"Applications for {round_} closed on {format_datetime(round_.closes_at)}; it no longer accepts new ones."
        )
    return f"{round_} is not accepting applications (it is {round_.get_status_display().lower()})."


def next_number(round_: Round) -> str:
    """ "R2-0007": the round's code upper-cased and a four-digit sequence within the round.
    Call it with the round's row locked, or two starts could draw the same number."""
    prefix = f"{round_.code.upper()}-"
    numbers = Application.objects.filter(round=round_, number__startswith=prefix).values_list("number", flat=True)
    last = max((int(n[len(prefix) :]) for n in numbers if n[len(prefix) :].isdigit()), default=0)
    return f"{prefix}{last + 1:04d}"


@transaction.atomic
def start_application(
    *, round_: Round, consortium: Consortium, category: FundingCategory, by, at: datetime | None = None
) -> Application:
    at = at or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)  # serializes numbering within the round
    if category.round_id != round_.pk:
        raise Refusal(f"“{category.name}” is not a funding category of {round_}; choose one of its own.")
    if not round_.is_accepting_applications(at):
        raise Refusal(_not_accepting(round_, at))
    if round_.requires_loi and not LetterOfIntent.objects.filter(round=round_, consortium=consortium).exists():
        raise Refusal(
            f"{round_} requires a letter of intent, and {consortium} did not file one "
            f"(they were due by {format_datetime(round_.loi_deadline)}), so it cannot apply in this round."
        )
    live = Application.objects.filter(round=round_, consortium=consortium).exclude(status=Application.Status.WITHDRAWN)
    if existing := live.first():
        raise Refusal(
            f"{consortium} already has application {existing.number} in {round_}; "
            "a consortium has one application per round. Open it from My applications."
        )
    application = Application.objects.create(
        round=round_, consortium=consortium, category=category, number=next_number(round_), created_by=by
    )
    workflow.record_creation(application, by=by, reason="Application started.")
    return application


# Saving sections: optimistic locking per section, and drafts of input that could not be saved


@dataclass(frozen=True)
class SavedBy:
    version: int
    name: str
    at: datetime | None
    with_problems: bool = False

    @property
    def when(self) -> str:
        return f" on {format_datetime(self.at)}" if self.at else ""


def last_saved(application: Application, section: str) -> SavedBy | None:
    entry = application.section_versions.get(section)
    if not entry:
        return None
    if not isinstance(entry, dict):
        return SavedBy(version=int(entry), name="someone else", at=None)
    at = parse_datetime(entry["at"]) if entry.get("at") else None
    return SavedBy(entry["version"], entry.get("by") or "someone else", at, bool(entry.get("problems")))


def section_conflict(section: str, saved: SavedBy | None) -> Refusal:
    """Someone saved the section after this person opened it; saving would overwrite their work."""
    who, when = (saved.name, saved.when) if saved else ("Someone else", "")
    return Refusal(
        f"Not saved: {who} saved “{Section(section).label}”{when}, after you opened it, and nothing of theirs "
        "was overwritten. Your input is still below: keep a copy of what you need, reload the section to see "
        "their version, then make your changes again."
    )


# Written on every save, and never in the application's history: they say how it was saved, not what it says.
BOOKKEEPING = {"section_versions", "section_drafts", "updated_at"}


@transaction.atomic
def save_section(*, application: Application, section: str, version: int | None, form, by, data) -> bool:
    """Save one section of a draft, or keep the input as a draft with problems when it does not validate.

    `version` is the section's version the person's page was loaded at; if anyone saved the section
    since, nothing is stored and the Refusal says who saved it and when. Returns True when the data was
    saved, False when only the input (`data`, the posted QueryDict) was kept in application.section_drafts
    beside its errors, cleaned and within limits (draft_input.py; what was cut is listed in
    `section_versions[section]["cut"]`, see `draft_cuts`). Other sections are untouched: only this section's
    fields are written. A history record is written only when a field the history tracks changed.
    """
    locked = Application.objects.select_for_update().select_related("round", "category").get(pk=application.pk)
    if not locked.is_editable:
        raise Refusal(
            f"Not saved: application {locked.number} is {locked.get_status_display().lower()} and read-only now."
        )
    if version is None:
        raise Refusal("Not saved: the form did not say which version it was opened at. Reload the section.")
    if version != locked.section_version(section):
        raise section_conflict(section, last_saved(locked, section))
    valid = form.is_valid()
    update_fields = sorted(BOOKKEEPING)
    tracked = [f.attname for f in Application._meta.concrete_fields if f.name not in BOOKKEEPING]
    before = copy.deepcopy({name: getattr(locked, name) for name in tracked})
    cuts = []
    if valid:
        update_fields += form.save_to(locked, by=by)
        locked.section_drafts.pop(section, None)
    else:
        kept = kept_input(data, form)
        locked.section_drafts[section], cuts = kept.data, kept.cuts
    locked.section_versions[section] = {
        "version": locked.section_version(section) + 1,
        "by": str(by),
        "by_id": by.pk,
        "at": timezone.now().isoformat(),
        "problems": not valid,
        **({"cut": cuts} if cuts else {}),
    }
    if any(getattr(locked, name) != value for name, value in before.items()):
        locked.save(update_fields=update_fields)
    else:
        locked.save_without_historical_record(update_fields=update_fields)
    # The caller's copy reflects what was stored, so its page shows the new version and totals.
    for name in update_fields:
        setattr(application, name, getattr(locked, name))
    return valid


# Reads for the pages


@dataclass
class SectionProgress:
    section: str
    label: str
    complete: bool
    problems: list[str]
    has_draft: bool
    saved: SavedBy | None
    url: str

    @property
    def status(self) -> str:
        if self.has_draft:
            return "Has unsaved problems"
        return "Complete" if self.complete else "Incomplete"


def section_progress(application: Application, statuses: list[SectionStatus] | None = None) -> list[SectionProgress]:
    """`statuses`: the application's section_statuses, when the caller has them already."""
    return [
        SectionProgress(
            section=s.section,
            label=s.label,
            complete=s.complete,
            problems=s.problems,
            has_draft=s.section in application.section_drafts,
            saved=last_saved(application, s.section),
            url=reverse("applications:application-section", args=[application.pk, s.section]),
        )
        for s in statuses or section_statuses(application)
    ]


def applications_of(user) -> QuerySet[Application]:
    """The applications of every consortium the person is a contact of ("My applications")."""
    return (
        Application.objects.filter(consortium_id__in=spoken_for(user))
        .select_related("round", "consortium", "category")
        .defer(*long_texts())
        .order_by("-round__opens_at", "number")
    )


@dataclass
class RoundOffer:
    """What one consortium can do in one open round."""

    consortium: Consortium
    application: Application | None = None
    letter: LetterOfIntent | None = None
    is_lead: bool = False
    can_file_letter: bool = False
    can_start: bool = False
    blocked_reason: str = ""


@dataclass
class OpenRound:
    round: Round
    offers: list[RoundOffer] = field(default_factory=list)


def open_rounds_for(user, consortia: list[Consortium], applications: list[Application]) -> list[OpenRound]:
    """Rounds accepting applications now, with what each of the person's consortia can do in them.

    A fixed number of queries: the rounds, their letters of intent, and one permission check per consortium.
    """
    now = timezone.now()
    rounds = list(Round.objects.open_for_applications().order_by("closes_at"))
    if not rounds or not consortia:
        return [OpenRound(r) for r in rounds]
    letters = {
        (loi.round_id, loi.consortium_id): loi
        for loi in LetterOfIntent.objects.filter(round__in=rounds, consortium__in=consortia).select_related("category")
    }
    live = {(a.round_id, a.consortium_id): a for a in applications if a.status != Application.Status.WITHDRAWN}
    may_start = {c.pk: user.has_perm("applications.start_application", c) for c in consortia}
    may_file = {c.pk: user.has_perm("applications.file_letter_of_intent", c) for c in consortia}
    result = []
    for round_ in rounds:
        offers = []
        for consortium in consortia:
            offer = RoundOffer(
                consortium,
                application=live.get((round_.pk, consortium.pk)),
                letter=letters.get((round_.pk, consortium.pk)),
                is_lead=may_start[consortium.pk] or may_file[consortium.pk],
            )
            letter_open = round_.requires_loi and now < round_.loi_deadline
            offer.can_file_letter = may_file[consortium.pk] and letter_open and offer.letter is None
            if offer.application is None and may_start[consortium.pk]:
                if round_.requires_loi and offer.letter is None:
                    offer.blocked_reason = (
                        "File the letter of intent first." if letter_open else "No letter of intent was filed."
                    )
                else:
                    offer.can_start = True
            offers.append(offer)
        result.append(OpenRound(round_, offers))
    return result
