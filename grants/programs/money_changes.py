"""A program's money settings (set-aside percentage and appropriations) before and after a save, and what changed
between them in words, for the audit trail (services.save_program records it)."""

from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from ccpt.lib.money import CENT, ZERO, format_money

from .models import Appropriation, Program


@dataclass(frozen=True)
class MoneySettings:
    set_aside_percent: Decimal | None = None  # None: the program did not exist yet
    appropriations: dict[int, tuple[str, Decimal]] = field(default_factory=dict)  # pk: (source, amount)

    @property
    def total(self) -> Decimal:
        return sum((amount for _, amount in self.appropriations.values()), ZERO)

    @property
    def set_aside(self) -> Decimal:
        # As Program.set_aside_amount: rounded down to the cent.
        return (self.total * (self.set_aside_percent or ZERO) / 100).quantize(CENT, rounding=ROUND_DOWN)


def money_settings(program_pk: int | None) -> MoneySettings:
    """The program's money settings as stored (an empty one for a program not yet saved)."""
    if program_pk is None:
        return MoneySettings()
    percent = Program.objects.filter(pk=program_pk).values_list("set_aside_percent", flat=True).first()
    rows = Appropriation.objects.filter(program_id=program_pk).values_list("pk", "source", "amount")
    return MoneySettings(percent, {pk: (source, amount) for pk, source, amount in rows})


def _percent(value: Decimal | None) -> str:
    return "none" if value is None else f"{value.normalize():f}%"


def describe_change(before: MoneySettings, after: MoneySettings) -> str:
    """What changed, one sentence a line, every amount written by format_money; "" when nothing did."""
    rows = []
    for pk, (source, amount) in after.appropriations.items():
        if pk not in before.appropriations:
            rows.append(f"Added appropriation {source}: {format_money(amount)}.")
        elif before.appropriations[pk] != (source, amount):
            old_source, old_amount = before.appropriations[pk]
            renamed = f"{source}: " if source != old_source else ""
            rows.append(f"Appropriation {old_source}: {format_money(old_amount)} → {renamed}{format_money(amount)}.")
    for pk, (source, amount) in before.appropriations.items():
        if pk not in after.appropriations:
            rows.append(f"Removed appropriation {source}: {format_money(amount)}.")
    lines = []
    if before.set_aside_percent != after.set_aside_percent:
        lines.append(
            f"Set-aside percentage: {_percent(before.set_aside_percent)} → {_percent(after.set_aside_percent)}."
        )
    if rows:
        lines.append(f"Appropriations: {format_money(before.total)} → {format_money(after.total)}.")
        lines += rows
    if lines and before.set_aside != after.set_aside:
        lines.append(f"Set-aside: {format_money(before.set_aside)} → {format_money(after.set_aside)}.")
    return "\n".join(lines)
