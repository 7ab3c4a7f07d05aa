"""Later stages of a round's scoring, added by the apps above reviews (grants.interviews).

score_round computes each application's reading score, then hands the rows to each stage before ranking them. A
stage may set on a row: `final` (and `fundable`) to a combined score, `finalist`, `reading` and `interview`, and two
keys that only order the ranking: AHEAD (rows with a higher value rank before the rest, whatever their scores) and
TIE_BREAK (compared right after final). The stage is called inside score_round's transaction, with the round row
locked, and must read what it needs in a fixed number of queries.
"""

from collections.abc import Callable

AHEAD = "stage_ahead"
TIE_BREAK = "stage_tie_break"

_stages: list[Callable] = []
_descriptions: list[Callable] = []


def add_stage(stage: Callable) -> None:
    """stage(*, round_, rows) where rows is {application id: row dict}; called by every score_round."""
    if stage not in _stages:
        _stages.append(stage)


def add_description(describe: Callable) -> None:
    """describe(round_) -> str: the stage's rule in words for the ranked list ("" when the round has no such stage)."""
    if describe not in _descriptions:
        _descriptions.append(describe)


def describe(round_) -> list[str]:
    return [text for describe in _descriptions if (text := describe(round_))]


def apply(*, round_, rows: dict[int, dict]) -> None:
    for stage in _stages:
        stage(round_=round_, rows=rows)
