"""The score dashboard's histogram: ten equal bins from 0 to the highest possible score, each holding scores from
its lower bound up to, not including, its upper one; the last one holds its upper bound too."""

from decimal import Decimal

import pytest

from grants.reviews.services.ranking import distribution
from tests.factories import ApplicationScoreFactory, one_criterion_round

pytestmark = pytest.mark.django_db


def _scores(round_, *finals):
    for final in finals:
        ApplicationScoreFactory(application__round=round_, final=Decimal(final), rank=None)


def test_a_score_on_a_bound_goes_to_the_bin_it_starts():
    round_ = one_criterion_round("100")
    _scores(round_, "0", "9.99", "10", "49.99", "50", "99.99", "100")

    bins = {bar.label: bar.count for bar in distribution(round_)}

    assert bins["0.00–10.00"] == 2
    assert bins["10.00–20.00"] == 1
    assert bins["40.00–50.00"] == 1 and bins["50.00–60.00"] == 1
    assert bins["90.00–100.00"] == 2  # 99.99 and the top itself
    assert sum(bins.values()) == 7


def test_bins_reach_the_highest_score_when_bonus_points_take_it_past_the_rubric():
    round_ = one_criterion_round("100")
    _scores(round_, "105", "52.5", "52.49")

    bars = distribution(round_)

    assert [bar.label for bar in bars][-1] == "94.50–105.00"
    assert {bar.label: bar.count for bar in bars}["42.00–52.50"] == 1
    assert {bar.label: bar.count for bar in bars}["52.50–63.00"] == 1
    assert bars[-1].count == 1


def test_a_round_without_scores_draws_empty_bins_up_to_its_maximum():
    round_ = one_criterion_round("80")

    bars = distribution(round_)

    assert [bar.count for bar in bars] == [0] * 10
    assert bars[-1].label == "72.00–80.00"
