"""The one state-machine engine: every app declares its models' status changes here, as data, and every change
goes through `transition()`, which locks the row, checks the rule, the guards and the reason, makes the change and
records it (who, when, from, to, why). No other code assigns a `status` (tests/grants/test_workflow_source.py).

An app declares its transitions in its `transitions.py` (imported when the app is ready):

    workflow.declare(Round, [
        Transition(R.DRAFT, R.OPEN, "Open for applications", rule="programs.open_round", guard=ready),
        ...
    ])

`rule` names a permission of the app's rules.py: the engine asks it of the person and the object. A later app may
add a guard to an earlier app's transition (awards guards the reopening of a decided round), so that imports
run one way.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import models, transaction

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.queries import Prebuilt, person_name
from ccpt.lib.refusal import Refusal

from .models import StatusChange

Guard = Callable[[models.Model], list[str]]  # what blocks the change now, in words; empty when nothing does


@dataclass(frozen=True)
class Transition:
    source: str | tuple[str, ...]
    target: str
    label: str
    rule: str
    needs_reason: bool = False
    guard: Guard | None = None
    # Where people make this change when it is more than a status change (a URL name taking the object's pk, and
    # what to call that page); status forms link there instead of offering a button.
    via: str = ""
    via_label: str = ""
    # Tells two transitions between the same statuses apart (e.g. "accept_late" beside "submit").
    name: str = ""
    # Other fields the change sets, from the locked object (e.g. when a round's applications closed).
    sets: Callable[[models.Model], dict] | None = None
    sources: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "sources", (self.source,) if isinstance(self.source, str) else tuple(self.source))


@dataclass(frozen=True)
class Option:
    """A transition a person may make, and what stops it now (shown disabled, with the reasons)."""

    transition: Transition
    problems: list[str]

    @property
    def blocked(self) -> bool:
        return bool(self.problems)


_declared: dict[type, list[Transition]] = {}
_added_guards: dict[tuple[type, str, str], list[Guard]] = defaultdict(list)
_added_effects: dict[tuple[type, str], list[Callable[[models.Model], object]]] = defaultdict(list)


def declare(model: type[models.Model], transitions: Iterable[Transition]) -> None:
    _declared[model] = list(transitions)


def add_guard(model: type[models.Model], source: str, target: str, guard: Guard) -> None:
    """A later app's condition on an earlier app's transition (the engine checks it like the declared guard)."""
    _added_guards[(model, source, target)].append(guard)


def add_effect(model: type[models.Model], target: str, effect: Callable[[models.Model], object]) -> None:
    """A later app's work when an earlier app's object reaches `target`, done in the same transaction as the change
    (an accepted award's progress reports made ready); the engine calls it with the changed object."""
    _added_effects[(model, target)].append(effect)


def transitions_for(model_or_obj) -> list[Transition]:
    model = model_or_obj if isinstance(model_or_obj, type) else type(model_or_obj)
    return _declared.get(model._meta.concrete_model, [])


def problems(obj, step: Transition) -> list[str]:
    """What blocks `step` for obj now: its guard's problems and those other apps added."""
    found = list(step.guard(obj)) if step.guard else []
    for guard in _added_guards[(type(obj), obj.status, step.target)]:
        found += guard(obj)
    return found


def available(obj, user) -> list[Transition]:
    """The transitions from obj's status that the person's rules allow (guards not checked)."""
    return [t for t in transitions_for(obj) if obj.status in t.sources and user.has_perm(t.rule, obj)]


def options(obj, user) -> list[Option]:
    """The transitions the person may make from obj's status, each with what blocks it now."""
    return [Option(t, problems(obj, t)) for t in available(obj, user)]


def _choose(obj, target: str, user, name: str) -> Transition:
    candidates = [
        t
        for t in transitions_for(obj)
        if obj.status in t.sources and t.target == target and (not name or t.name == name)
    ]
    if not candidates:
        statuses = dict(type(obj).Status.choices)
        to = statuses[target].lower() if target in statuses else f"“{target}”"
        raise Refusal(f"Cannot go from {label(obj)} to {to}.")
    allowed = [t for t in candidates if user is not None and user.has_perm(t.rule, obj)]
    if not allowed:
        raise PermissionDenied
    return allowed[0]


def label(obj, status: str | None = None) -> str:
    """A status as people read it, in lower case ("in review")."""
    status = obj.status if status is None else status
    return dict(type(obj).Status.choices).get(status, status).lower()


@transaction.atomic
def transition(obj, target: str, *, by, reason: str = "", changes: dict | None = None, name: str = "") -> StatusChange:
    """Move obj to `target`, recording who, when and why; `changes` are other fields set in the same save.

    The row is locked first, so that two people acting at once run one after the other and the second sees the
    first's change. Raises PermissionDenied when the rule refuses the person, Refusal when the change is not
    possible now (with the reason in words). obj is updated in place.
    """
    model = type(obj)
    locked = model._default_manager.select_for_update().get(pk=obj.pk)
    step = _choose(locked, target, by, name)
    reason = (reason or "").strip()
    if step.needs_reason and not reason:
        raise Refusal("Give a reason for this change; it is kept in the record.")
    if found := problems(locked, step):
        raise Refusal(" ".join(found), problems=found)
    source = locked.status
    changes = {**(step.sets(locked) if step.sets else {}), **(changes or {})}
    for attribute, value in {"status": target, **changes}.items():
        setattr(locked, attribute, value)
        setattr(obj, attribute, value)
    locked._history_user = by
    locked.save(update_fields=["status", *changes])
    _audit(locked, by, f"{label(locked, source).capitalize()} → {label(locked, target)}", reason)
    change = StatusChange.objects.create(subject=locked, from_status=source, to_status=target, by=by, reason=reason)
    for effect in _added_effects[(model, target)]:
        effect(locked)
    return change


def record_creation(obj, *, by, reason: str = "") -> StatusChange:
    """The first line of an object's status history: created, in its initial status."""
    _audit(obj, by, f"Created, {label(obj)}", reason)
    return StatusChange.objects.create(subject=obj, from_status="", to_status=obj.status, by=by, reason=reason)


def _audit(obj, by, what: str, reason: str) -> None:
    summary = f"{type(obj)._meta.verbose_name.capitalize()}: {what}" + (f" ({reason})" if reason else "")
    record(Event.Action.STATUS_CHANGE, by=by, obj=obj, summary=summary)


def history(obj) -> models.QuerySet:
    """Every status change of obj, oldest first, with who made it."""
    return StatusChange.objects.filter(
        content_type__app_label=obj._meta.app_label, content_type__model=obj._meta.model_name, object_id=obj.pk
    ).select_related("by")


@dataclass(frozen=True)
class HistoryLine:
    at: object
    by: str  # who, as people read it; "" for the system
    source: str  # labels, as people read them
    target: str
    reason: str


# Each model's history read with SQL built once per process (a page with a history reads it on every request).
_history_reads: dict[type, Prebuilt] = {}


def _history_read(model: type[models.Model]) -> Prebuilt:
    read = _history_reads.get(model)
    if read is None:
        meta = model._meta

        def build(pk):
            changes = StatusChange.objects.filter(
                content_type__app_label=meta.app_label, content_type__model=meta.model_name, object_id=pk
            )
            return changes.annotate(by_name=person_name("by"))

        read = _history_reads[model] = Prebuilt(build)
    return read


def history_lines(obj) -> list[HistoryLine]:
    """obj's status history with status labels, never raw codes ("Draft" → "Submitted"), oldest first."""
    labels = dict(type(obj).Status.choices)
    return [
        HistoryLine(
            at=change.at,
            by=change.by_name or "",
            source=labels.get(change.from_status, change.from_status) if change.from_status else "(created)",
            target=labels.get(change.to_status, change.to_status),
            reason=change.reason,
        )
        for change in _history_read(type(obj)._meta.concrete_model).rows(obj.pk)
    ]
