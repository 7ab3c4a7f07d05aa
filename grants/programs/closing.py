"""When a round's applications close, or really closed: staff may close a round before its deadline, and the
pages that show the deadline (the submitted copy, the reader's copy, their PDF) must then say when it closed."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from grants.models import StatusChange

from .models import Round


@dataclass(frozen=True)
class Closing:
    at: datetime
    closed: bool  # applications closed (at is in the past), or close (at is to come)
    early: bool  # staff closed the round before its deadline
    deadline: datetime  # round.closes_at


def closings(rounds, *, now: datetime | None = None) -> dict[int, Closing]:
    """When each round's applications close or closed, by round id. One query at most, and only for rounds that
    left "open": the last time each one's status history records it going to "closed", when that was before its
    deadline."""
    now = now or timezone.now()
    rounds = {round_.pk: round_ for round_ in rounds}
    left_open = [pk for pk, r in rounds.items() if r.status not in (Round.Status.DRAFT, Round.Status.OPEN)]
    closed_at: dict[int, datetime] = {}
    if left_open:
        changes = (
            StatusChange.objects.filter(
                content_type__app_label=Round._meta.app_label,
                content_type__model=Round._meta.model_name,
                object_id__in=left_open,
                to_status=Round.Status.CLOSED,
            )
            .order_by("object_id", "at", "pk")
            .values_list("object_id", "at")
        )
        closed_at = dict(changes)  # ordered by time: the last change of each round is kept
    found = {}
    for pk, round_ in rounds.items():
        at = closed_at.get(pk)
        if pk in left_open and at is not None and at < round_.closes_at:
            found[pk] = Closing(at=at, closed=True, early=True, deadline=round_.closes_at)
        else:
            closed = pk in left_open or round_.closes_at <= now
            found[pk] = Closing(at=round_.closes_at, closed=closed, early=False, deadline=round_.closes_at)
    return found


def closing(round_: Round, *, now: datetime | None = None) -> Closing:
    """When the round's applications close or closed (closings, for one round)."""
    return closings([round_], now=now)[round_.pk]
