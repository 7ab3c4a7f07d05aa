from decimal import Decimal

from grants.awards.services.allocation import Candidate, allocate

D = Decimal
BIG, SMALL = 1, 2
CATEGORIES = {BIG: (D("1000000.00"), 2), SMALL: (D("100000.00"), 3)}


def candidate(pk, rank, requested, category=BIG, region=1, fundable=True, **extra):
    return Candidate(pk, f"R-{pk:04d}", category, region, D(requested), rank, fundable, D("80"), **extra)


def allocation(candidates, funds, partial=False, categories=CATEGORIES, **options):
    """Allocate `funds` (a string) among the candidates, by default in CATEGORIES and without partial awards."""
    return allocate(candidates=candidates, categories=categories, funds_available=D(funds), partial=partial, **options)


def test_it_funds_in_rank_order_when_the_money_fits_exactly():
    result = allocation([candidate(1, 1, "1000000.00"), candidate(2, 2, "500000.00")], "1500000.00")
    assert [d.funded for d in result.decisions.values()] == [True, True]
    assert result.total == D("1500000.00")
    assert result.money_left == D("0.00")


def test_one_cent_over_is_skipped_and_the_next_that_fits_is_funded():
    result = allocation(
        [candidate(1, 1, "1000000.00"), candidate(2, 2, "500000.01"), candidate(3, 3, "90000", SMALL)], "1500000.00"
    )
    assert result.decisions[2].funded is False
    assert "only $500,000.00 is left" in result.decisions[2].explanation
    assert result.decisions[3].funded is True
    assert result.money_left == D("410000.00")


def test_partial_funding_gives_the_last_application_what_is_left():
    result = allocation(
        [candidate(1, 1, "1000000.00"), candidate(2, 2, "800000.00"), candidate(3, 3, "50000", SMALL)],
        "1500000.00",
        partial=True,
    )
    assert result.decisions[2].funded is True
    assert result.decisions[2].amount == D("500000.00")
    assert "Partially funded" in result.decisions[2].explanation
    assert result.decisions[3].funded is False
    assert result.money_left == D("0.00")


def test_a_partial_award_below_the_minimum_is_not_offered():
    result = allocation(
        [candidate(1, 1, "1000000.00"), candidate(2, 2, "800000.00")],
        "1100000.00",
        partial=True,
        minimum_partial=D("200000.00"),
    )
    assert result.decisions[2].funded is False


def test_each_category_stops_at_its_planned_number_of_grants():
    result = allocation([candidate(i, i, "100000.00") for i in (1, 2, 3)], "9000000.00")
    assert [result.decisions[i].funded for i in (1, 2, 3)] == [True, True, False]
    assert "planned grants are already funded" in result.decisions[3].explanation
    assert result.funding_line[BIG] == 2


def test_an_empty_category_has_no_funding_line():
    result = allocation([candidate(1, 1, "100000.00")], "1e7")
    assert result.funding_line[SMALL] is None
    assert result.funded_by_category[SMALL] == 0


def test_requests_above_the_category_maximum_are_capped():
    result = allocation([candidate(1, 1, "150000.00", SMALL)], "1e7")
    assert result.decisions[1].amount == D("100000.00")
    assert "capped" in result.decisions[1].explanation


def test_a_region_minimum_funds_its_best_application_before_higher_ranked_others():
    candidates = [candidate(1, 1, "1000000.00"), candidate(2, 2, "1000000.00"), candidate(3, 3, "1000000.00", region=9)]
    result = allocation(candidates, "2000000.00", region_minimums={9: 1})
    assert result.decisions[3].funded is True
    assert "region's minimum" in result.decisions[3].explanation
    assert result.decisions[1].funded is True
    assert result.decisions[2].funded is False


def test_unfundable_and_unscored_applications_are_explained():
    result = allocation([candidate(1, None, "100"), candidate(2, 5, "100", fundable=False)], "1e7")
    assert result.decisions[1].explanation == "Not scored, so not ranked."
    assert "Below the minimum fundable score" in result.decisions[2].explanation


def test_staff_can_exclude_an_application_with_a_reason_and_the_next_one_is_funded():
    result = allocation(
        [
            candidate(1, 1, "1000000.00", override_funded=False, override_reason="Duplicate of R-0009"),
            candidate(2, 2, "1000000.00"),
        ],
        "1000000.00",
        categories={BIG: (D("1000000.00"), 1)},
    )
    assert result.decisions[1].funded is False
    assert "Duplicate of R-0009" in result.decisions[1].explanation
    assert result.decisions[2].funded is True
