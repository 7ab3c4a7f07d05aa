"""The set-aside: how much a program reserves for planning grants and technical assistance (EC 53015(e)), what
was drawn from it, and what is left.

The reserve is the program's set-aside percentage (at most 1%) of its appropriations, rounded down to the cent
(Program.set_aside_amount). Every draw locks the program's row and re-reads what was drawn, so two staff drawing
at once can never take more than the reserve; and whenever the program's appropriations or percentage change
(programs.services.save_program, with the same lock), `reserve_problems` refuses a reserve smaller than what was
already drawn.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from ccpt.audit.models import Event
from ccpt.audit.services import record
from ccpt.lib.charts import BalanceChart, balance_over_time
from ccpt.lib.dates import format_datetime
from ccpt.lib.money import ZERO, format_money
from ccpt.lib.once import AlreadyDone
from ccpt.lib.permissions import authorize
from ccpt.lib.refusal import Refusal
from grants.programs.models import Program

from .models import SetAsideEntry


def drawn(program: Program) -> Decimal:
    return SetAsideEntry.objects.filter(program=program).aggregate(t=Sum("amount"))["t"] or ZERO


@dataclass(frozen=True)
class Balance:
    reserved: Decimal
    drawn: Decimal

    @property
    def left(self) -> Decimal:
        return self.reserved - self.drawn


def balance(program: Program) -> Balance:
    return Balance(reserved=program.set_aside_amount, drawn=drawn(program))


def reserve_problems(program: Program) -> list[str]:
    """Why the program's reserve as it now stands cannot be (call it with the program's row locked)."""
    figures = balance(program)
    if figures.left >= ZERO:
        return []
    return [
        f"the set-aside would be {format_money(figures.reserved)} ({program.set_aside_percent.normalize():f}% of "
        f"{format_money(program.total_appropriated)}), less than the {format_money(figures.drawn)} already drawn "
        "from it. Keep the percentage or the appropriations high enough to cover what was drawn."
    ]


@transaction.atomic
def draw_set_aside(
    *,
    program: Program,
    kind: str,
    amount: Decimal,
    by,
    consortium=None,
    organization=None,
    description: str = "",
    click: str | None = None,
) -> SetAsideEntry:
    """Record a planning grant or technical-assistance contract paid from the set-aside, never beyond it, and write
    the draw to the audit trail.

    `click` is the one-time token of the form (ccpt.lib.once): the same form posted twice records one draw; the
    second post raises AlreadyDone.
    """
    authorize(by, "setaside.draw_set_aside", program)
    program = Program.objects.select_for_update().get(pk=program.pk)
    if click and (done := SetAsideEntry.objects.filter(click_token=click).first()):
        raise AlreadyDone(
            f"This draw was already recorded on {format_datetime(done.recorded_at)}: "
            f"{done.get_kind_display().lower()} of {format_money(done.amount)}. The same form was sent twice; the "
            "draw was recorded once.",
            done=done,
        )
    if kind == SetAsideEntry.Kind.PLANNING_GRANT and not program.set_aside_funds_planning_grants:
        raise Refusal("This program's set-aside does not fund planning grants.")
    if kind == SetAsideEntry.Kind.TECHNICAL_ASSISTANCE and not program.set_aside_funds_technical_assistance:
        raise Refusal("This program's set-aside does not fund technical assistance.")
    if amount <= ZERO:
        raise Refusal("The amount must be more than zero.")
    left = balance(program).left
    if amount > left:
        raise Refusal(f"{format_money(amount)} is more than the {format_money(left)} left in the set-aside.")
    entry = SetAsideEntry.objects.create(
        program=program,
        kind=kind,
        amount=amount,
        consortium=consortium,
        organization=organization,
        description=description,
        recorded_by=by,
        click_token=click or None,
    )
    recipient = consortium or organization
    summary = (
        f"Drew {format_money(amount)} from the set-aside of {program} for a "
        f"{entry.get_kind_display().lower()} to {recipient}: {format_money(left)} → {format_money(left - amount)} left."
    )
    record(Event.Action.MONEY, by=by, obj=entry, summary=summary)
    return entry


@dataclass
class Ledger:
    reserve: Decimal
    entries: list[SetAsideEntry]  # oldest first, each with .balance_after
    by_kind: list[tuple[str, Decimal]]
    chart: BalanceChart | None  # None before the first draw

    @property
    def balance(self) -> Decimal:
        return self.entries[-1].balance_after if self.entries else self.reserve

    @property
    def drawn(self) -> Decimal:
        return self.reserve - self.balance


def ledger(program: Program) -> Ledger:
    """Every draw with the balance after it, the totals by kind, and the chart of the balance over time. One query,
    whatever the number of draws."""
    entries = list(
        SetAsideEntry.objects.filter(program=program)
        .select_related("consortium", "organization", "recorded_by")
        .order_by("recorded_at", "pk")
    )
    reserve = balance_left = program.set_aside_amount
    for entry in entries:
        balance_left -= entry.amount
        entry.balance_after = balance_left
    by_kind = {kind: sum((e.amount for e in entries if e.kind == kind), ZERO) for kind in SetAsideEntry.Kind.values}
    steps = [(entry.recorded_at, entry.balance_after) for entry in entries]
    chart = balance_over_time(opening=reserve, steps=steps) if entries else None
    return Ledger(
        reserve=reserve,
        entries=entries,
        by_kind=[(label, by_kind[value]) for value, label in SetAsideEntry.Kind.choices],
        chart=chart,
    )
