"""Charts drawn as SVG on the server, so that they need no script (the Content-Security-Policy allows none inline)
and print as they show. Each template that draws one also gives its figures as a table: the chart's text
alternative. These functions only place things; every figure they are given was computed elsewhere.

- `bars`: horizontal bars on one scale, for amounts that compare (templates/includes/bar_chart.html).
- `balance_over_time`: a balance stepping down, one step per draw (templates/includes/balance_chart.html).
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from .dates import format_date

ZERO = Decimal("0")
WIDTH = 640  # the drawing's own units; the <svg> scales to its column


@dataclass
class Bar:
    label: str
    value: Decimal
    width: Decimal
    top: int
    note: str = ""  # said after the amount in the table, e.g. "2 awards"


@dataclass
class Bars:
    bars: list[Bar]
    row_height: int

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * self.row_height


def bars(rows: list[tuple[str, Decimal, str]], *, scale: Decimal | None = None, space: int = 440) -> Bars:
    """(label, amount, note) rows as bars of up to `space` units for `scale` (the largest amount unless given); a
    bar of nothing draws nothing but keeps its label and amount."""
    largest = scale if scale is not None else max((value for _, value, _ in rows), default=ZERO)
    result = []
    for i, (label, value, note) in enumerate(rows):
        width = (min(max(value, ZERO), largest) / largest * space).quantize(Decimal("0.1")) if largest else ZERO
        result.append(Bar(label, value, width, i * 44, note))
    return Bars(result, 44)


@dataclass
class Tick:
    y: Decimal
    label: str


@dataclass
class BalanceChart:
    path: str  # the SVG path of the balance line
    points: list[tuple[Decimal, Decimal]]  # a dot at each draw
    ticks: list[Tick]  # amounts on the left
    start_label: str
    end_label: str
    height: int = 240
    left: int = 130
    right: int = WIDTH - 20
    top: int = 16
    bottom: int = 204


def balance_over_time(*, opening: Decimal, steps: list[tuple[datetime, Decimal]]) -> BalanceChart:
    """The balance from `opening` stepping to each (when, balance after) of `steps`, oldest first, one step per draw
    spaced evenly (draws made minutes or months apart read alike), on an amount scale from zero to the opening
    balance. Under the line: "Reserve" at the start, the last draw's date at the end."""
    chart = BalanceChart(path="", points=[], ticks=[], start_label="Reserve", end_label="")
    top = max([opening, *[balance for _, balance in steps]]) or Decimal(1)
    slots = len(steps) + 1  # the reserve, then each draw

    def x(slot: int) -> Decimal:
        return (chart.left + Decimal(slot) / slots * (chart.right - chart.left)).quantize(Decimal("0.1"))

    def y(amount: Decimal) -> Decimal:
        return (chart.bottom - max(amount, ZERO) / top * (chart.bottom - chart.top)).quantize(Decimal("0.1"))

    path = [f"M{x(0)} {y(opening)}"]
    for slot, (_, balance) in enumerate(steps, start=1):
        path.append(f"H{x(slot)} V{y(balance)}")
        chart.points.append((x(slot), y(balance)))
    path.append(f"H{chart.right}")
    chart.path = " ".join(path)
    chart.ticks = [Tick(y(top * share), f"${top * share:,.0f}") for share in (Decimal(0), Decimal("0.5"), Decimal(1))]
    if steps:
        chart.end_label = f"Last draw: {format_date(steps[-1][0])}"
    return chart
