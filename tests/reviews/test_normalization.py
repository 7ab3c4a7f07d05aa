"""Normalization removes reader severity: hand-computed examples, including the degenerate readers."""

from decimal import Decimal

import pytest

from grants.reviews.models import ApplicationScore
from grants.reviews.services.scoring import ReaderScale, normalize, score_round
from tests.factories import (
    ApplicationFactory,
    CriterionFactory,
    RoundFactory,
    UserFactory,
    one_criterion_round,
    scored_review,
)

pytestmark = pytest.mark.django_db


def submitted(round_, n):
    return [ApplicationFactory(round=round_, status="submitted") for _ in range(n)]


def readers(n):
    return [UserFactory(role="Readers") for _ in range(n)]


def read(applications, *sheets):
    """One new reader per sheet, scoring each of the applications in order with its points (None: not read)."""
    for reader, sheet in zip(readers(len(sheets)), sheets, strict=True):
        for application, points in zip(applications, sheet, strict=True):
            if points is not None:
                scored_review(application, reader, [points])


def normalized_after(*sheets, maximum="100") -> list[Decimal]:
    """The normalized scores of the applications of a one-criterion round, scored by one reader a sheet (see read)."""
    round_ = one_criterion_round(maximum)
    applications = submitted(round_, len(sheets[0]))
    read(applications, *sheets)
    score_round(round_id=round_.pk)
    return [score_of(application).normalized for application in applications]


def score_of(application) -> ApplicationScore:
    return ApplicationScore.objects.get(application=application)


def test_it_standardizes_each_reader_and_maps_back_to_the_round_scale():
    # Reader A reads X, Y, Z: 60, 70, 80 (mean 70, population sd sqrt(200/3) = 8.164966)
    # Reader B reads X, Y: 40, 60 (mean 50, sd 10); reader C reads Z only: 90 (one review: used as is).
    # Round: totals 60 70 80 40 60 90, M = 400/6 = 66.666667, S = sqrt(1533.3333/6) = 15.986105.
    # A: X -> M + S*(-1.224745) = 47.087791, Y -> M = 66.666667, Z -> M + S*1.224745 = 86.245543
    # B: X -> M - S = 50.680562, Y -> M + S = 82.652772;  C: Z -> 90
    # X = (47.087791 + 50.680562)/2 = 48.884176 -> 48.88; Y = (66.666667 + 82.652772)/2 = 74.659719 -> 74.66;
    # Z = (86.245543 + 90)/2 = 88.122772 -> 88.12
    round_ = one_criterion_round()
    x, y, z = submitted(round_, 3)
    read((x, y, z), (60, 70, 80), (40, 60, None), (None, None, 90))

    assert score_round(round_id=round_.pk) == 3

    assert [score_of(app).normalized for app in (x, y, z)] == [Decimal("48.88"), Decimal("74.66"), Decimal("88.12")]
    assert [score_of(app).raw_mean for app in (x, y, z)] == [Decimal("50.00"), Decimal("65.00"), Decimal("85.00")]
    assert [score_of(app).final for app in (x, y, z)] == [Decimal("48.88"), Decimal("74.66"), Decimal("88.12")]


def test_a_reader_whose_totals_are_all_equal_puts_each_at_the_round_mean():
    # A: X 60, Y 80 (mean 70, sd 10). D: X 50, Y 50 (sd 0: shifted by its mean offset, i.e. to M).
    # Round: 60 80 50 50 -> M = 60, S = sqrt((0 + 400 + 100 + 100)/4) = sqrt(150) = 12.247449.
    # X = ((60 - 12.247449) + 60)/2 = 53.876276 -> 53.88; Y = ((60 + 12.247449) + 60)/2 = 66.123724 -> 66.12
    assert normalized_after((60, 80), (50, 50)) == [Decimal("53.88"), Decimal("66.12")]


def test_a_reader_with_a_single_review_counts_as_given():
    # A: X 30, Y 90 (mean 60, sd 30); B reads only X: 70. Round 30 90 70: M = 63.333333,
    # S = sqrt((1111.1111 + 711.1111 + 44.4444)/3) = sqrt(622.2222) = 24.944383.
    # X = ((M - S) + 70)/2 = (38.388950 + 70)/2 = 54.194475 -> 54.19; Y = M + S = 88.277716 -> 88.28
    assert normalized_after((30, 90), (70, None)) == [Decimal("54.19"), Decimal("88.28")]


def test_when_every_reader_is_alike_normalization_changes_nothing():
    assert normalized_after((40, 80), (40, 80)) == [Decimal("40.00"), Decimal("80.00")]


def test_the_normalized_score_is_clamped_to_the_rubric_maximum():
    # Maximum 10. A: X 10, Y 0, Z 0 (mean 3.333, sd 4.714, z(X) = 1.414214);
    # B: X 10, Y 10, Z 0 (mean 6.667, sd 4.714, z(X) = 0.707107). Round: M = 5, S = 5.
    # X = ((5 + 7.071068) + (5 + 3.535534))/2 = 10.303301 -> clamped to 10.00
    x, _, z = normalized_after((10, 0, 0), (10, 10, 0), maximum="10")

    assert x == Decimal("10.00")
    assert z >= Decimal("0")


def test_the_normalized_score_is_never_below_zero():
    scale = ReaderScale(count=3, mean=Decimal("80"), deviation=Decimal("5"))
    # z = (60 - 80)/5 = -4 -> 20 + 10*(-4) = -20, below the scale; the service clamps the application's mean.
    assert normalize(Decimal("60"), scale, Decimal("20"), Decimal("10")) == Decimal("-20")
    # Mirror of the clamp above: X = ((5 - 7.071068) + (5 - 3.535534))/2 = -0.303301 -> 0.00
    x, _, _ = normalized_after((0, 10, 10), (0, 0, 10), maximum="10")

    assert x == Decimal("0.00")


def test_totals_weight_each_criterion():
    # (7.5 x 2) + (3 x 0.5) = 16.5 and (10 x 2) + (4 x 0.5) = 22: mean 19.25, spread 5.5
    round_ = RoundFactory()
    CriterionFactory(round=round_, max_points=Decimal("10"), weight=Decimal("2"), position=1)
    CriterionFactory(round=round_, max_points=Decimal("10"), weight=Decimal("0.5"), position=2)
    (x,) = submitted(round_, 1)
    a, b = readers(2)
    scored_review(x, a, ["7.5", 3])
    scored_review(x, b, [10, 4])

    score_round(round_id=round_.pk)

    score = score_of(x)
    assert (score.raw_mean, score.spread, score.readers) == (Decimal("19.25"), Decimal("5.50"), 2)


def test_the_round_can_rank_by_the_mean_instead():
    round_ = one_criterion_round(rank_by="mean")
    x, y = submitted(round_, 2)
    read((x, y), (60, 80), (50, 50))

    score_round(round_id=round_.pk)

    assert (score_of(x).final, score_of(y).final) == (Decimal("55.00"), Decimal("65.00"))
    assert score_of(x).normalized == Decimal("53.88")
