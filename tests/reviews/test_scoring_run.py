"""Running the scoring: idempotent, a fixed number of queries, frozen once published, safe at once on PostgreSQL."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from grants.programs.models import Round
from grants.reviews.models import ApplicationScore
from grants.reviews.services.scoring import score_round
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    FundingCategoryFactory,
    RoundFactory,
    UserFactory,
    scored_review,
)
from tests.helpers import race

FIELDS = [
    "pk",
    "application_id",
    "round_id",
    "readers",
    "raw_mean",
    "normalized",
    "spread",
    "flagged",
    "consensus",
    "bonus",
    "final",
    "fundable",
    "rank",
    "category_rank",
]


def build_round(applications: int, readers: int = 3) -> Round:
    round_ = RoundFactory()
    for position in range(3):
        CriterionFactory(round=round_, max_points=Decimal("20"), weight=Decimal("1.5"), position=position)
    categories = [FundingCategoryFactory(round=round_) for _ in range(2)]
    pool = [UserFactory(role="Readers") for _ in range(readers + 1)]
    for i in range(applications):
        application = ApplicationFactory(round=round_, status="submitted", category=categories[i % 2])
        for j in range(readers):
            reader = pool[(i + j) % len(pool)]
            scored_review(application, reader, [(i * 7 + j * 3) % 21, (i + j) % 20, "12.5"])
    return round_


def rows(round_) -> list[tuple]:
    return list(ApplicationScore.objects.filter(round=round_).order_by("application_id").values_list(*FIELDS))


@pytest.mark.django_db
def test_running_twice_writes_the_same_rows():
    round_ = build_round(6)

    score_round(round_id=round_.pk)
    first = rows(round_)
    score_round(round_id=round_.pk)

    assert rows(round_) == first
    assert len(first) == 6
    assert [r[FIELDS.index("rank")] for r in sorted(first, key=lambda r: r[FIELDS.index("rank")])] == [1, 2, 3, 4, 5, 6]


@pytest.mark.django_db
def test_it_makes_the_same_number_of_queries_for_5_and_20_applications():
    counts = []
    for size in (5, 20):
        round_ = build_round(size)
        with CaptureQueriesContext(connection) as queries:
            assert score_round(round_id=round_.pk) == size
        counts.append(len(queries))

    assert counts[0] == counts[1]
    assert counts[0] <= 15


@pytest.mark.django_db
def test_published_results_are_frozen():
    round_ = build_round(2)
    score_round(round_id=round_.pk)
    before = rows(round_)
    Round.objects.filter(pk=round_.pk).update(results_published_at=timezone.now())
    application = ApplicationFactory(round=round_, status="submitted")
    scored_review(application, UserFactory(role="Readers"), [20, 20, 20])

    assert score_round(round_id=round_.pk) == 0
    assert rows(round_) == before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_both_finish_with_the_same_rows_and_no_duplicates():
    round_ = build_round(12)
    score_round(round_id=round_.pk)
    expected = [row[1:] for row in rows(round_)]
    ApplicationScore.objects.filter(round=round_).delete()

    def run():
        return score_round(round_id=round_.pk)

    results = race(run, run)  # fails the test if either run raises

    assert results == [12, 12]
    assert [row[1:] for row in rows(round_)] == expected
    assert ApplicationScore.objects.filter(round=round_).count() == 12


@pytest.mark.django_db
def test_a_round_that_no_longer_exists_scores_nothing():
    assert score_round(round_id=987654) == 0
