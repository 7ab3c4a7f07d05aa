"""Spread and the discrepancy flag, bonus points, the fundable line and consensus scores."""

from decimal import Decimal

import pytest

from grants.programs.models import CompetitivePriority
from grants.reviews.models import ApplicationScore, PriorityClaim, Reconciliation
from grants.reviews.services.scoring import score_round
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    RoundFactory,
    UserFactory,
    one_criterion_round,
    read_by_new_readers,
    scored_review,
)

pytestmark = pytest.mark.django_db


def read(points, **round_settings) -> ApplicationScore:
    round_ = one_criterion_round(rank_by="mean", **round_settings)
    application = ApplicationFactory(round=round_, status="submitted")
    read_by_new_readers(application, points)
    score_round(round_id=round_.pk)
    return ApplicationScore.objects.get(application=application)


@pytest.mark.parametrize(
    ("points", "spread", "flagged"),
    [
        (["50", "65"], Decimal("15.00"), False),  # exactly the threshold: not flagged
        (["50", "65.5"], Decimal("15.50"), True),
        (["50", "64.5", "60"], Decimal("14.50"), False),
        (["70"], Decimal("0.00"), False),  # one reader: no spread
    ],
)
def test_an_application_is_flagged_when_the_spread_exceeds_the_threshold(points, spread, flagged):
    score = read(points, discrepancy_threshold=Decimal("15"))

    assert (score.spread, score.flagged) == (spread, flagged)


@pytest.mark.parametrize(
    ("points", "fundable"), [(["70"], True), (["69.9"], False), (["80", "59.9"], False), (["80", "60"], True)]
)
def test_fundable_means_a_final_score_at_or_above_the_minimum(points, fundable):
    score = read(points, minimum_fundable_score=Decimal("70"))

    assert score.fundable is fundable


def test_bonus_adds_only_confirmed_bonus_priorities_and_can_lift_over_the_line(staff_user):
    round_ = RoundFactory(rank_by="mean", minimum_fundable_score=Decimal("70"))
    CriterionFactory(round=round_, max_points=Decimal("100"))
    application = ApplicationFactory(round=round_, status="submitted")
    scored_review(application, UserFactory(role="Readers"), ["66.5"])
    for name, use, points in (("Dropout", "bonus", "2.5"), ("Legal", "bonus", "1"), ("Tie", "tie_break", "9")):
        priority = CompetitivePriority.objects.create(round=round_, name=name, use=use, bonus_points=Decimal(points))
        PriorityClaim.objects.create(application=application, priority=priority, confirmed_by=staff_user)
    CompetitivePriority.objects.create(round=round_, name="Unclaimed", bonus_points=Decimal("5"))

    score_round(round_id=round_.pk)

    score = ApplicationScore.objects.get(application=application)
    assert (score.bonus, score.final, score.fundable) == (Decimal("3.50"), Decimal("70.00"), True)


def test_a_consensus_score_replaces_the_readers_score_until_cleared(staff_user):
    score = read(["40", "90"], discrepancy_threshold=Decimal("15"))
    application = score.application
    Reconciliation.objects.create(
        application=application, action="consensus", consensus_total=Decimal("72.25"), reason="Panel", by=staff_user
    )

    score_round(round_id=application.round_id)
    score.refresh_from_db()
    assert (score.consensus, score.final, score.raw_mean, score.flagged) == (
        Decimal("72.25"),
        Decimal("72.25"),
        Decimal("65.00"),
        True,
    )

    Reconciliation.objects.create(
        application=application, action="consensus", consensus_total=60, reason="Again", by=staff_user
    )
    score_round(round_id=application.round_id)
    score.refresh_from_db()
    assert score.final == Decimal("60.00")

    Reconciliation.objects.create(application=application, action="cleared", reason="Readers revisited", by=staff_user)
    score_round(round_id=application.round_id)
    score.refresh_from_db()
    assert (score.consensus, score.final) == (None, Decimal("65.00"))


def test_bonus_is_added_to_a_consensus_score(staff_user):
    score = read(["40", "90"])
    application = score.application
    priority = CompetitivePriority.objects.create(round=application.round, name="B", bonus_points=Decimal("2"))
    PriorityClaim.objects.create(application=application, priority=priority, confirmed_by=staff_user)
    Reconciliation.objects.create(
        application=application, action="consensus", consensus_total=70, reason="x", by=staff_user
    )

    score_round(round_id=application.round_id)

    score.refresh_from_db()
    assert score.final == Decimal("72.00")
