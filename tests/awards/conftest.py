"""Rounds shared by several modules of this folder."""

from decimal import Decimal

import pytest

from grants.programs.models import Round

from ..factories import FundingCategoryFactory, ProgramFactory, RoundFactory


@pytest.fixture
def round_(db):
    """A round in review with $1,000,000 to award."""
    return RoundFactory(funds_available=Decimal("1000000.00"), status=Round.Status.IN_REVIEW)


@pytest.fixture
def category(round_):
    """The funding category "Large" of `round_`: at most $600,000 an award, three planned grants."""
    return FundingCategoryFactory(round=round_, name="Large", maximum_award=Decimal("600000.00"), planned_grants=3)


@pytest.fixture
def round_1(db):
    """Round 1 (2014) of a program, code r1, with four grant years from 2014-15."""
    return RoundFactory(
        program=ProgramFactory(), code="r1", name="Round 1 (2014)", grant_start_year=2014, grant_years=4
    )
