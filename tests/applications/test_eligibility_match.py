from decimal import Decimal

import pytest

from grants.applications.services.eligibility import eligibility_checks
from tests.factories import ApplicationFactory, RoundFactory


def match_check(application):
    return next(c for c in eligibility_checks(application) if c.key == "match")


@pytest.mark.django_db
def test_the_match_is_not_met_before_the_budget_is_entered():
    application = ApplicationFactory(round=RoundFactory(match_percent=Decimal("25")), requested_amount=Decimal("0"))
    check = match_check(application)
    assert check.passed is False
    assert check.detail.startswith("Enter the budget first")


@pytest.mark.django_db
def test_the_match_is_not_met_without_partner_commitments():
    application = ApplicationFactory(
        round=RoundFactory(match_percent=Decimal("25")), requested_amount=Decimal("1000.00")
    )
    check = match_check(application)
    assert check.passed is False
    assert check.detail == "Committed $0.00; required $250.00."
