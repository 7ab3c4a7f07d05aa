"""Ranks in the round and in each funding category, and the tie-breaks, in order."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from grants.programs.models import CompetitivePriority
from grants.reviews.models import ApplicationScore, PriorityClaim
from grants.reviews.services.scoring import score_round
from tests.factories import (
    ApplicationFactory,
    FundingCategoryFactory,
    one_criterion_round,
    read_by_new_readers,
)

pytestmark = pytest.mark.django_db
START = timezone.now() - timedelta(days=2)


@pytest.fixture
def round_():
    # Ranked by the mean so that the expected finals read straight from the points.
    return one_criterion_round(rank_by="mean")


def app(round_, number, points, *, category=None, minutes=0):
    application = ApplicationFactory(
        round=round_,
        number=number,
        status="submitted",
        submitted_at=START + timedelta(minutes=minutes),
        **({"category": category} if category else {}),
    )
    read_by_new_readers(application, points)
    return application


def claim(application, priority, by):
    PriorityClaim.objects.create(application=application, priority=priority, confirmed_by=by)


def ranks(round_):
    rows = ApplicationScore.objects.filter(round=round_).select_related("application").order_by("rank")
    return [(row.application.number, row.rank, row.category_rank) for row in rows if row.rank]


def test_it_ranks_by_final_score_in_the_round_and_in_each_category(round_):
    large = FundingCategoryFactory(round=round_, name="Large")
    small = FundingCategoryFactory(round=round_, name="Small")
    app(round_, "A", [70], category=large)
    app(round_, "B", [90], category=small)
    app(round_, "C", [80], category=large)
    app(round_, "D", [60], category=small)

    score_round(round_id=round_.pk)

    assert ranks(round_) == [("B", 1, 1), ("C", 2, 1), ("A", 3, 2), ("D", 4, 2)]


def test_equal_finals_go_first_to_the_application_with_more_tie_break_priorities(round_, staff_user):
    tie_break = CompetitivePriority.objects.create(round=round_, name="Dropout region", use="tie_break")
    app(round_, "A", [70], minutes=0)
    favoured = app(round_, "B", [70], minutes=5)
    claim(favoured, tie_break, staff_user)

    score_round(round_id=round_.pk)

    assert [number for number, *_ in ranks(round_)] == ["B", "A"]
    assert ApplicationScore.objects.get(application=favoured).final == Decimal("70.00")


def test_equal_finals_then_go_to_the_higher_mean(round_, staff_user):
    # A: mean 70 + bonus 5 = 75; B: mean 75 + no bonus = 75. Equal finals: B's higher mean ranks it first.
    bonus = CompetitivePriority.objects.create(round=round_, name="Legal careers", use="bonus", bonus_points=5)
    helped = app(round_, "A", [70], minutes=0)
    claim(helped, bonus, staff_user)
    app(round_, "B", [75], minutes=5)

    score_round(round_id=round_.pk)

    assert [number for number, *_ in ranks(round_)] == ["B", "A"]


def test_equal_finals_and_means_then_go_to_the_earlier_submission(round_):
    app(round_, "A", [70], minutes=10)
    app(round_, "B", [70], minutes=5)

    score_round(round_id=round_.pk)

    assert [number for number, *_ in ranks(round_)] == ["B", "A"]


def test_last_the_application_number_decides_and_no_two_applications_share_a_rank(round_):
    category = FundingCategoryFactory(round=round_)
    app(round_, "R1-002", [70], category=category)
    app(round_, "R1-001", [70], category=category)
    app(round_, "R1-003", [90], category=category)

    score_round(round_id=round_.pk)

    assert ranks(round_) == [("R1-003", 1, 1), ("R1-001", 2, 2), ("R1-002", 3, 3)]


def test_unread_applications_are_listed_without_rank_after_the_ranked(round_):
    app(round_, "A", [])
    app(round_, "B", [40])

    score_round(round_id=round_.pk)

    assert ranks(round_) == [("B", 1, 1)]
    assert ApplicationScore.objects.get(application__number="A").rank is None
