"""When a round's applications close, or really closed: staff may close a round before its deadline, and the
pages that show the deadline (the submitted copy, the reader's copy, their PDF) must then say when it closed."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from .models import Round


@dataclass(frozen=True)
class Closing:
    at: datetime
    closed: bool  # applications closed (at is in the past), or close (at is to come)
    early: bool  # staff closed the round before its deadline
    deadline: datetime  # round.closes_at


def closings(rounds, *, now: datetime | None = None) -> dict[int, Closing]:
    """When each round's applications close or closed, by round id: no query, the round records when staff closed
    it (Round.closed_at); that counts when it was before the deadline."""
    now = now or timezone.now()
    found = {}
    for round_ in rounds:
        left_open = round_.status not in (Round.Status.DRAFT, Round.Status.OPEN)
        at = round_.closed_at
        if left_open and at is not None and at < round_.closes_at:
            found[round_.pk] = Closing(at=at, closed=True, early=True, deadline=round_.closes_at)
        else:
            closed = left_open or round_.closes_at <= now
            found[round_.pk] = Closing(at=round_.closes_at, closed=closed, early=False, deadline=round_.closes_at)
    return found


def closing(round_: Round, *, now: datetime | None = None) -> Closing:
    """When the round's applications close or closed (closings, for one round)."""
    return closings([round_], now=now)[round_.pk]
