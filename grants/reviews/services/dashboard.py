"""The score dashboard's figures over a whole round, counted once per change and then read from the cache.

Counting a round's progress means grouping every assignment and review of it: some 10 ms at 2,000 applications and
five times that at 10,000. The counts change only when an assignment, a review or an application changes, or when
scores are computed, so they are kept in the cache (CACHES["default"]) under a key made of the newest history
record of each (simple_history writes one with every save, bulk assignments included) and the round's last
computation: four reads of an index's last entry. A change makes a new key; the next visit counts again.

A history record numbered before a slower transaction commits can be missed by a count made in between; each entry
therefore lasts only FRESH_SECONDS, which bounds how long such a count may be shown. Names are not kept: the page
reads the names of the readers and applications it lists when it shows them.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max

from consortia.models import User
from grants.applications.models import Application, long_texts
from grants.programs.models import Round

from ..models import ApplicationScore, Assignment, Review
from . import ranking

FRESH_SECONDS = 60
FLAGGED_LISTED = 50


@dataclass
class Figures:
    progress: ranking.ApplicationProgress
    readers: ranking.ReaderProgress
    flagged_ids: list[int]  # ApplicationScore ids, largest spread first, at most FLAGGED_LISTED
    flagged_count: int
    distribution: list[ranking.Bar]
    regions: list[ranking.Bar]


def _stamp(round_: Round, computed_at) -> str:
    newest = [
        model.history.aggregate(newest=Max("history_id"))["newest"] or 0 for model in (Assignment, Review, Application)
    ]
    computed = computed_at.isoformat() if computed_at else "never"
    return f"score-dashboard:{round_.pk}:{computed}:{':'.join(map(str, newest))}"


def _count(round_: Round, maximum: Decimal) -> Figures:
    flagged = ranking.ranked_rows(round_).filter(flagged=True).order_by("-spread", "application__number")
    return Figures(
        progress=ranking.application_progress(round_),
        readers=ranking.reader_progress(round_),
        flagged_ids=list(flagged.values_list("pk", flat=True)[:FLAGGED_LISTED]),
        flagged_count=flagged.count(),
        distribution=ranking.distribution(round_, maximum=maximum),
        regions=ranking.region_means(round_),
    )


def figures(round_: Round, *, computed_at, maximum: Decimal) -> Figures:
    """The round's figures: from the cache when nothing they count has changed since they were counted."""
    key = _stamp(round_, computed_at)
    found = cache.get(key)
    if found is None:
        found = _count(round_, maximum)
        cache.set(key, found, FRESH_SECONDS)
    return found


def flagged_rows(ids: list[int]) -> list[ApplicationScore]:
    """The listed flagged scores, read now (with their application and its consortium), in the order of `ids`."""
    rows = (
        ApplicationScore.objects.filter(pk__in=ids)
        .select_related("application__consortium")
        .defer(*long_texts("application__"))
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


def reader_rows(behind: list[dict]) -> list[dict]:
    """The readers furthest behind, with their names read now."""
    names = User.objects.in_bulk([row["reader_id"] for row in behind])
    return [{**row, "reader": names[row["reader_id"]]} for row in behind if row["reader_id"] in names]
