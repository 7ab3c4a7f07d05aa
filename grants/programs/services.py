"""Configuring programs and rounds: who sees which rounds, saving a draft round's rules, copying a round.

A round's rules (funds, dates, categories, rubric, priorities, required attachments) change only while it
is a draft: applicants rely on them once it opens. Status changes go through grants.workflow.transition.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, models, transaction
from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalChanges

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.dates import PACIFIC
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.refusal import Refusal
from consortia.models import Organization
from grants import workflow

from .models import Appropriation, CompetitivePriority, Criterion, FundingCategory, Program, RequiredAttachment, Round
from .money_changes import describe_change, money_settings

CHILD_MODELS = (FundingCategory, Criterion, CompetitivePriority, RequiredAttachment)
# Checks other apps add on a program's money, run whenever its appropriations or set-aside change (the set-aside
# app refuses a reserve smaller than what was drawn from it): each returns what is wrong, in words.
PROGRAM_MONEY_CHECKS: list = []


def frozen_reason(round_: Round) -> str:
    if round_.status == Round.Status.OPEN:
        return (
            f"{round_.name} is open for applications, so its rules are frozen: applicants rely on them. "
            "An administrator can return it to draft (with a reason) to change them."
        )
    return (
        f"{round_.name} is {round_.get_status_display().lower()}, so its rules are frozen: they were published "
        "when it opened and applications were made under them."
    )


def visible_rounds(user) -> models.QuerySet:
    """Rounds a person may see: drafts only for program staff and administrators."""
    rounds = Round.objects.select_related("program")
    if not user.is_authenticated:
        return rounds.none()
    if user.has_perm("programs.view_draft_rounds"):
        return rounds
    return rounds.exclude(status=Round.Status.DRAFT)


@dataclass(frozen=True)
class RoundConfiguration:
    """A round's rules as pages show them, read once."""

    round: Round
    categories: list[FundingCategory]
    criteria: list[tuple[Criterion, Decimal]]  # with each criterion's weighted maximum
    rubric_total: Decimal
    priorities: list[CompetitivePriority]
    required_attachments: list[RequiredAttachment]
    lead_kinds: list[str]
    composition: list[str]

    @property
    def planned_total(self) -> Decimal:
        return sum((c.planned_total for c in self.categories), ZERO)

    @property
    def unplanned(self) -> Decimal:
        """Funds not planned by the categories; negative when they plan more than the round has."""
        return self.round.funds_available - self.planned_total

    @property
    def overplanned(self) -> Decimal:
        return max(ZERO, -self.unplanned)


def round_configuration(round_: Round) -> RoundConfiguration:
    kinds = dict(Organization.Kind.choices)
    criteria = list(round_.criteria.all())
    return RoundConfiguration(
        round=round_,
        categories=list(round_.categories.all()),
        criteria=[(c, c.max_points * c.weight) for c in criteria],
        rubric_total=round_.rubric_total(),
        priorities=list(round_.priorities.all()),
        required_attachments=list(round_.required_attachments.all()),
        lead_kinds=[kinds.get(kind, kind) for kind in round_.eligible_lead_kinds],
        composition=round_.required_composition_labels,
    )


def _lock_draft(round_: Round) -> Round:
    locked = Round.objects.select_for_update().get(pk=round_.pk)
    if locked.status != Round.Status.DRAFT:
        round_.refresh_from_db(fields=["status"])
        raise Refusal(frozen_reason(locked))
    return locked


@transaction.atomic
def create_round(*, round_: Round, by) -> Round:
    """Save a new round as a draft and record who created it."""
    round_._history_user = by
    round_.save()
    workflow.record_creation(round_, by=by, reason="Created.")
    return round_


@transaction.atomic
def save_round_settings(*, round_: Round, by) -> Round:
    """Save a draft round's own settings (not its rows); refused once the round has opened."""
    _lock_draft(round_)
    round_._history_user = by
    round_.save()
    return round_


@transaction.atomic
def save_round_rows(
    *, round_: Round, changed: list, deleted: list, by, minimum_fundable_score: Decimal | None = None
) -> None:
    """Save a draft round's funding categories, criteria, priorities or required attachments.

    `changed` are new or edited rows and `deleted` rows to remove, as from formset.save(commit=False).
    With the rubric comes its minimum fundable total, which may not exceed the rubric's weighted maximum.
    """
    locked = _lock_draft(round_)
    for row in [*changed, *deleted]:
        if not isinstance(row, CHILD_MODELS) or row.round_id not in (None, round_.pk):
            raise ValueError(f"{row!r} is not a row of {round_}.")
    for row in deleted:
        if problem := rows_in_use(row):
            raise Refusal(f"Nothing was saved. {problem}")
    before = [(row, row.pk, row._state.adding) for row in [*changed, *deleted]]
    try:
        _apply_rows(locked, changed=changed, deleted=deleted, by=by, minimum_fundable_score=minimum_fundable_score)
    except Exception:
        for row, pk, adding in before:  # the database rolls back; so do the rows in memory, for the form shown again
            row.pk, row._state.adding = pk, adding
        raise
    round_.minimum_fundable_score = locked.minimum_fundable_score


def _apply_rows(locked: Round, *, changed, deleted, by, minimum_fundable_score) -> None:
    try:
        with transaction.atomic():
            for row in deleted:
                row.delete()
            for row in changed:
                row.round = locked
                row.save()
    except IntegrityError as error:
        raise Refusal(
            "Nothing was saved: two rows would have the same name at the same moment (for example when two rows "
            "swap names). Give one of them a temporary name, save, then rename it."
        ) from error
    if minimum_fundable_score is not None:
        maximum = locked.rubric_total()
        if minimum_fundable_score > maximum:
            message = (
                f"The minimum fundable total ({minimum_fundable_score:.2f}) is higher than the rubric's weighted "
                f"maximum ({maximum:.2f}). Lower it, or add points to the rubric."
            )
            raise Refusal(message, errors={"minimum_fundable_score": message})
        locked.minimum_fundable_score = minimum_fundable_score
        locked._history_user = by
        locked.save(update_fields=["minimum_fundable_score"])


def rows_in_use(row) -> str:
    """Why a category, criterion, priority or required attachment cannot be removed, or "" when it can."""
    uses = []
    for relation in row._meta.get_fields(include_hidden=True):  # hidden too: related_name="+" still refers
        if not (relation.auto_created and (relation.one_to_many or relation.one_to_one)):
            continue
        if issubclass(relation.related_model, HistoricalChanges):  # past versions do not hold a row in place
            continue
        count = relation.related_model._default_manager.filter(**{relation.field.name: row}).count()
        if count:
            meta = relation.related_model._meta
            uses.append(f"{count} {meta.verbose_name if count == 1 else meta.verbose_name_plural}")
    if not uses:
        return ""
    return f"“{row.name}” cannot be removed: it is used by {' and '.join(uses)}."


def one_year_later(moment: datetime | None) -> datetime | None:
    """The same Pacific wall-clock time a year later (Feb 29 becomes Feb 28)."""
    if moment is None:
        return None
    local = moment.astimezone(PACIFIC)
    try:
        return local.replace(year=local.year + 1)
    except ValueError:
        return local.replace(year=local.year + 1, day=28)


# A copy starts as a new draft of its own: these are not carried over.
NOT_COPIED = {"id", "status", "name", "code", "copied_from", "created_at", "results_published_at"}


@transaction.atomic
def copy_round(*, round_: Round, by, name: str, code: str) -> Round:
    """A new draft round with all of round_'s settings and rows, its dates and grant period a year later."""
    name, code = name.strip(), code.strip()
    taken = f"Another round already uses the code “{code}”; choose another."
    if Round.objects.filter(code__iexact=code).exists():
        raise Refusal(taken, errors={"code": taken})
    source = Round.objects.get(pk=round_.pk)
    settings = {f.attname: getattr(source, f.attname) for f in Round._meta.concrete_fields if f.name not in NOT_COPIED}
    copy = Round(**settings, name=name, code=code, copied_from=source)
    copy.loi_deadline = one_year_later(source.loi_deadline)
    copy.opens_at = one_year_later(source.opens_at)
    copy.closes_at = one_year_later(source.closes_at)
    copy.grant_start_year = source.grant_start_year + 1
    copy._history_user = by
    try:
        with transaction.atomic():
            copy.save(force_insert=True)
    except IntegrityError as error:
        raise Refusal(taken, errors={"code": taken}) from error
    for model in CHILD_MODELS:
        rows = list(model.objects.filter(round=source).order_by("pk"))
        for row in rows:
            row.pk = None
            row.round = copy
        model.objects.bulk_create(rows)
    workflow.record_creation(copy, by=by, reason=f"Copied from {source.name} ({source.code}).")
    return copy


@dataclass(frozen=True)
class ProgramFunds:
    total_appropriated: Decimal
    set_aside_amount: Decimal
    available_for_rounds: Decimal
    allocated_to_rounds: Decimal

    @property
    def unallocated(self) -> Decimal:
        """Negative when the rounds hold more than the appropriations leave after the set-aside."""
        return self.available_for_rounds - self.allocated_to_rounds

    @property
    def over_allocated(self) -> Decimal:
        return max(ZERO, -self.unallocated)


def program_funds(program: Program) -> ProgramFunds:
    allocated = program.rounds.aggregate(total=Sum("funds_available"))["total"] or ZERO
    total = program.total_appropriated
    set_aside = program.set_aside_amount
    return ProgramFunds(total, set_aside, total - set_aside, allocated)


def programs_with_totals() -> models.QuerySet:
    """Programs annotated with their appropriations, rounds and funds allocated to rounds (one query)."""

    def total(model, field):
        rows = model.objects.filter(program=OuterRef("pk")).values("program").annotate(t=Sum(field)).values("t")
        return Coalesce(Subquery(rows), Value(ZERO), output_field=models.DecimalField(max_digits=14, decimal_places=2))

    rounds = Round.objects.filter(program=OuterRef("pk")).values("program").annotate(n=Count("pk")).values("n")
    return Program.objects.annotate(
        appropriated=total(Appropriation, "amount"),
        allocated=total(Round, "funds_available"),
        round_count=Coalesce(Subquery(rounds), Value(0)),
    )


@transaction.atomic
def save_program(*, program: Program, changed: list[Appropriation], deleted: list[Appropriation], by) -> Program:
    """Save a program with its appropriations (as from an inline formset's save(commit=False)).

    The program's row is locked first, as every money-committing write does, and its money re-checked after the
    save: the rounds must fit what the appropriations leave after the set-aside, and PROGRAM_MONEY_CHECKS must pass.
    A change of the set-aside percentage or the appropriations is written to the audit trail, old and new values.
    """
    if program.pk is not None:
        Program.objects.select_for_update().filter(pk=program.pk).first()
    before = money_settings(program.pk)
    program._history_user = by
    program.save()
    for appropriation in deleted:
        appropriation._history_user = by
        appropriation.delete()
    for appropriation in changed:
        appropriation.program = program
        appropriation._history_user = by
        appropriation.save()
    if problems := money_problems(program):
        raise Refusal("Nothing was saved: " + " ".join(problems), problems=problems)
    if summary := describe_change(before, money_settings(program.pk)):
        record(Event.Action.SETTING_CHANGE, by=by, obj=program, summary=summary)
    return program


def money_problems(program: Program) -> list[str]:
    """What is wrong with the program's money as it stands (call it with the program's row locked)."""
    funds = program_funds(program)
    problems = []
    if funds.over_allocated:
        problems.append(
            f"the program's rounds hold {format_money(funds.allocated_to_rounds)}, but the appropriations leave only "
            f"{format_money(funds.available_for_rounds)} after the set-aside. Lower the rounds' funds first, or keep "
            "more appropriated."
        )
    for check in PROGRAM_MONEY_CHECKS:
        problems += check(program)
    return problems
